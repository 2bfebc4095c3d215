//! The simulator as a real PC/SC card: a client of the vpcd driver (vsmartcard) of pcscd.
//!
//! ```text
//! TCP to 127.0.0.1:35963, frames = 2-byte big-endian length + payload
//! 1-byte payloads: 00 power off, 01 power on, 02 reset (no reply), 04 get ATR (reply: ATR)
//! longer payloads: a command APDU (reply: response APDU)
//! ```

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::transport::Transport;

/// vpcd's first reader ("Virtual PCD 00 00"). Only loopback: vpcd listens on all interfaces.
pub const VPCD_ADDR: &str = "127.0.0.1:35963";
/// A minimal T=1 ATR (TS 3B, T0 80, TD1 01, TCK 81). Readers must never filter by ATR.
pub const ATR: [u8; 4] = [0x3B, 0x80, 0x01, 0x81];
/// How long to keep trying to reach pcscd's vpcd port.
pub const CONNECT_WAIT: Duration = Duration::from_secs(20);

const POWER_OFF: u8 = 0x00;
const POWER_ON: u8 = 0x01;
const RESET: u8 = 0x02;
const GET_ATR: u8 = 0x04;

#[derive(Debug, thiserror::Error)]
pub enum VpcdError {
    #[error("cannot reach vpcd at {addr}: {source}")]
    Connect { addr: SocketAddr, source: std::io::Error },
    #[error("connection to vpcd: {0}")]
    Io(#[from] std::io::Error),
}

fn send(stream: &mut TcpStream, payload: &[u8]) -> std::io::Result<()> {
    let len = u16::try_from(payload.len()).map_err(|_| std::io::Error::other("response too long"))?;
    let mut frame = len.to_be_bytes().to_vec();
    frame.extend_from_slice(payload);
    stream.write_all(&frame)
}

/// Connects `card` to vpcd at `addr` and answers until vpcd closes the connection.
pub fn serve<T: Transport>(card: &mut T, addr: SocketAddr) -> Result<(), VpcdError> {
    let deadline = std::time::Instant::now() + CONNECT_WAIT;
    let mut stream = loop {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
            Ok(s) => break s,
            Err(e) if std::time::Instant::now() >= deadline => return Err(VpcdError::Connect { addr, source: e }),
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    stream.set_nodelay(true)?;
    loop {
        let mut len = [0u8; 2];
        match stream.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e.into()),
        }
        let mut payload = vec![0u8; usize::from(u16::from_be_bytes(len))];
        stream.read_exact(&mut payload)?;
        match payload.as_slice() {
            [POWER_OFF] | [POWER_ON] | [RESET] => {}
            [GET_ATR] => send(&mut stream, &ATR)?,
            [_] | [] => {}
            apdu => {
                let response = card.transmit(apdu).unwrap_or_else(|_| vec![0x6F, 0x00]);
                send(&mut stream, &response)?;
            }
        }
    }
}
