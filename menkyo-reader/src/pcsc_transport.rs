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

/// What a counter screen shows: the reader in use and whether a card lies on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderStatus {
    /// The reader's name; `None`: no reader (matching the filter) is connected.
    pub reader: Option<String>,
    pub card_present: bool,
    /// The reader's card-event counter (PC/SC: the high 16 bits of the event state): it moves
    /// when a card is put on or taken off, so a card swapped while nobody polled still shows
    /// as another card.
    pub card_events: u32,
}

/// Watches the readers for cards put on and taken off.
pub struct Monitor {
    ctx: Context,
    filter: Option<String>,
    states: Vec<ReaderState>,
}

impl std::fmt::Debug for Monitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Monitor").field("filter", &self.filter).field("readers", &self.states.len()).finish()
    }
}

impl Monitor {
    /// Watches the readers whose name contains `filter` (all readers without one).
    pub fn new(filter: Option<&str>) -> Result<Self, TransportError> {
        let ctx = Context::establish(Scope::User).map_err(map)?;
        Ok(Self { ctx, filter: filter.map(str::to_string), states: Vec::new() })
    }

    fn refresh(&mut self) -> Result<(), TransportError> {
        let names = match self.ctx.list_readers_owned() {
            Ok(n) => n,
            Err(pcsc::Error::NoReadersAvailable) => Vec::new(),
            Err(e) => return Err(map(e)),
        };
        let wanted: Vec<CString> = names
            .into_iter()
            .filter(|n| self.filter.as_deref().is_none_or(|f| n.to_string_lossy().contains(f)))
            .collect();
        let known: Vec<&std::ffi::CStr> = self.states.iter().map(ReaderState::name).collect();
        if known != wanted.iter().map(CString::as_c_str).collect::<Vec<_>>() {
            self.states = wanted.into_iter().map(|n| ReaderState::new(n, State::UNAWARE)).collect();
        }
        Ok(())
    }

    /// Waits up to `timeout` for a change and returns the status: the first reader with a
    /// card, else the first reader.
    pub fn poll(&mut self, timeout: Duration) -> Result<ReaderStatus, TransportError> {
        self.refresh()?;
        if self.states.is_empty() {
            std::thread::sleep(timeout);
            return Ok(ReaderStatus { reader: None, card_present: false, card_events: 0 });
        }
        for s in &mut self.states {
            s.sync_current_state();
        }
        match self.ctx.get_status_change(timeout, &mut self.states) {
            Ok(()) | Err(pcsc::Error::Timeout) => {}
            Err(pcsc::Error::UnknownReader | pcsc::Error::ReaderUnavailable) => self.states.clear(),
            Err(e) => return Err(map(e)),
        }
        let with_card = self.states.iter().find(|s| s.event_state().contains(State::PRESENT));
        let shown = with_card.or(self.states.first());
        Ok(ReaderStatus {
            reader: shown.map(|s| s.name().to_string_lossy().into_owned()),
            card_present: with_card.is_some(),
            card_events: shown.map_or(0, ReaderState::event_count),
        })
    }

    /// Connects to the card in `reader`.
    pub fn connect(&self, reader: &str) -> Result<PcscTransport, TransportError> {
        let name = CString::new(reader).map_err(|_| TransportError::NoReader)?;
        let card = self.ctx.connect(&name, ShareMode::Exclusive, Protocols::ANY).map_err(map)?;
        Ok(PcscTransport { card, buffer: vec![0; RESPONSE_MAX], reader: reader.to_string() })
    }
}
