//! PC/SC readers (pcsc-lite on Linux, through the `pcsc` crate).

use std::ffi::CString;
use std::time::Duration;

use pcsc::{Context, Protocols, ReaderState, Scope, ShareMode, State};

use crate::transport::{Transport, TransportError};

/// How long to wait for a card on the reader. [P]
pub const CARD_WAIT: Duration = Duration::from_secs(30);
/// Response buffer: the largest extended response plus the status word.
const RESPONSE_MAX: usize = pcsc::MAX_BUFFER_SIZE_EXTENDED;

/// A card in a PC/SC reader.
pub struct PcscTransport {
    card: pcsc::Card,
    buffer: Vec<u8>,
    reader: String,
}

impl std::fmt::Debug for PcscTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcscTransport").field("reader", &self.reader).finish()
    }
}

fn map(e: pcsc::Error) -> TransportError {
    match e {
        pcsc::Error::NoReadersAvailable | pcsc::Error::UnknownReader | pcsc::Error::ReaderUnavailable => {
            TransportError::NoReader
        }
        pcsc::Error::NoSmartcard => TransportError::NoCard,
        pcsc::Error::RemovedCard | pcsc::Error::ResetCard | pcsc::Error::UnpoweredCard => TransportError::CardRemoved,
        pcsc::Error::NoService | pcsc::Error::ServiceStopped => {
            TransportError::Reader("the PC/SC service (pcscd) is not running".into())
        }
        other => TransportError::Reader(other.to_string()),
    }
}

/// The names of the readers present.
pub fn readers() -> Result<Vec<String>, TransportError> {
    let ctx = Context::establish(Scope::User).map_err(map)?;
    let names = ctx.list_readers_owned().map_err(map)?;
    Ok(names.iter().map(|n| n.to_string_lossy().into_owned()).collect())
}

/// Connects to the card in the first reader whose name contains `filter`, or in the only
/// reader (with several and no filter: the first that holds a card), waiting up to
/// [`CARD_WAIT`] for a card.
pub fn connect(filter: Option<&str>) -> Result<PcscTransport, TransportError> {
    let ctx = Context::establish(Scope::User).map_err(map)?;
    let names = ctx.list_readers_owned().map_err(map)?;
    let candidates: Vec<&CString> = match filter {
        Some(f) => names.iter().filter(|n| n.to_string_lossy().contains(f)).collect(),
        None => names.iter().collect(),
    };
    if candidates.is_empty() {
        return Err(TransportError::NoReader);
    }
    let mut states: Vec<ReaderState> =
        candidates.iter().map(|n| ReaderState::new((*n).clone(), State::UNAWARE)).collect();
    let deadline = std::time::Instant::now() + CARD_WAIT;
    loop {
        ctx.get_status_change(Duration::from_millis(500), &mut states).or_else(|e| match e {
            pcsc::Error::Timeout => Ok(()),
            other => Err(map(other)),
        })?;
        if let Some(s) = states.iter().find(|s| s.event_state().contains(State::PRESENT)) {
            let name = s.name().to_owned();
            let card = ctx.connect(&name, ShareMode::Exclusive, Protocols::ANY).map_err(map)?;
            return Ok(PcscTransport {
                card,
                buffer: vec![0; RESPONSE_MAX],
                reader: name.to_string_lossy().into_owned(),
            });
        }
        if std::time::Instant::now() >= deadline {
            return Err(TransportError::NoCard);
        }
        for s in &mut states {
            s.sync_current_state();
        }
    }
}

impl PcscTransport {
    pub fn reader(&self) -> &str {
        &self.reader
    }
}

impl Transport for PcscTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let answer = self.card.transmit(command, &mut self.buffer).map_err(map)?;
        Ok(answer.to_vec())
    }
}
