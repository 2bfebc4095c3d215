//! Transports carry APDUs to a card: PC/SC readers, the in-process simulator.

use crate::apdu::{Command, INS_VERIFY, Response};

/// Why an APDU did not reach the card or no answer came back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("no card reader found")]
    NoReader,
    #[error("no card on the reader")]
    NoCard,
    #[error("the card was removed during the read")]
    CardRemoved,
    #[error("reader error: {0}")]
    Reader(String),
    #[error("the card's answer is not a response APDU")]
    Malformed,
}

/// Something that exchanges raw APDUs with a card.
pub trait Transport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError>;
}

/// Most GET RESPONSE rounds for one command. [P] 5845 bytes of WEF02 take at most 23 rounds
/// of 256 bytes.
pub const GET_RESPONSE_ROUNDS_MAX: usize = 64;

/// Counts of what crossed the transport.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub apdus: usize,
    pub bytes_sent: usize,
    pub bytes_received: usize,
}

/// A card behind a transport: sends commands, follows `61xx` and `6Cxx`, counts traffic.
#[derive(Debug)]
pub struct Card<T> {
    transport: T,
    stats: Stats,
}

impl<T: Transport> Card<T> {
    pub fn new(transport: T) -> Self {
        Self { transport, stats: Stats::default() }
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    pub fn into_transport(self) -> T {
        self.transport
    }

    fn raw(&mut self, cmd: &Command) -> Result<Response, TransportError> {
        let bytes = cmd.to_bytes();
        let answer = self.transport.transmit(&bytes)?;
        self.stats.apdus = self.stats.apdus.saturating_add(1);
        self.stats.bytes_sent = self.stats.bytes_sent.saturating_add(bytes.len());
        self.stats.bytes_received = self.stats.bytes_received.saturating_add(answer.len());
        Response::parse(&answer).map_err(|_| TransportError::Malformed)
    }

    /// Sends a command; re-sends once with the corrected Le on `6Cxx` and collects `61xx`
    /// continuations with GET RESPONSE (T=0 contact readers produce both). A VERIFY is never
    /// re-sent: each one may spend a try, so its `6Cxx` goes back to the caller as it came.
    pub fn send(&mut self, cmd: &Command) -> Result<Response, TransportError> {
        let mut r = self.raw(cmd)?;
        if let Some(le) = r.sw.correct_le().filter(|_| cmd.ins != INS_VERIFY) {
            r = self.raw(&cmd.with_le(if le == 0 { 256 } else { usize::from(le) }))?;
        }
        let mut data = std::mem::take(&mut r.data);
        let mut rounds = 0;
        while let Some(more) = r.sw.more_data() {
            rounds += 1;
            if rounds > GET_RESPONSE_ROUNDS_MAX {
                return Err(TransportError::Malformed);
            }
            r = self.raw(&Command::get_response(more))?;
            data.append(&mut r.data);
        }
        Ok(Response::new(data, r.sw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status_word::StatusWord;

    /// A T=0-style card: answers READ BINARY with 6Cxx first, then 61xx in two parts.
    #[derive(Default)]
    struct T0Card {
        log: Vec<Vec<u8>>,
    }

    impl Transport for T0Card {
        fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
            self.log.push(command.to_vec());
            Ok(match command {
                [0x00, 0xB0, _, _, 0x10] => vec![0x6C, 0x04],
                [0x00, 0xB0, _, _, 0x04] => vec![0x61, 0x02],
                [0x00, 0xC0, ..] if self.log.len() > 3 => vec![0xCC, 0xDD, 0x90, 0x00],
                [0x00, 0xC0, 0x00, 0x00, 0x02] => vec![0xAA, 0xBB, 0x61, 0x02],
                _ => vec![0x6D, 0x00],
            })
        }
    }

    #[test]
    fn follows_6cxx_and_61xx() {
        let mut card = Card::new(T0Card::default());
        let r = card.send(&Command::read_binary(0, 0x10)).unwrap();
        assert_eq!(r, Response::new(vec![0xAA, 0xBB, 0xCC, 0xDD], StatusWord::OK));
        assert_eq!(card.stats().apdus, 4);
        let log = &card.into_transport().log;
        assert_eq!(log[1], vec![0x00, 0xB0, 0x00, 0x00, 0x04]);
        assert_eq!(log[2], vec![0x00, 0xC0, 0x00, 0x00, 0x02]);
    }

    /// A card that never stops asking for GET RESPONSE.
    struct Endless;

    impl Transport for Endless {
        fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, TransportError> {
            Ok(vec![0x00, 0x61, 0x01])
        }
    }

    #[test]
    fn bounded_get_response_and_malformed_answers() {
        assert_eq!(Card::new(Endless).send(&Command::read_binary(0, 1)), Err(TransportError::Malformed));
        struct Mute;
        impl Transport for Mute {
            fn transmit(&mut self, _: &[u8]) -> Result<Vec<u8>, TransportError> {
                Ok(vec![0x90])
            }
        }
        assert_eq!(Card::new(Mute).send(&Command::read_binary(0, 1)), Err(TransportError::Malformed));
    }
}
