//! Reading the マイナ免許証 and the conventional IC driver's licence: APDUs, status words,
//! transports, the card simulators and the reading sessions used by the `menkyo` command.
#![forbid(unsafe_code)]

pub mod apdu;
pub mod card_kind;
pub mod card_profile;
pub mod ic_card_profile;
pub mod ic_read;
pub mod ic_session;
#[cfg(feature = "simulator")]
pub mod ic_simulator;
pub mod pcsc_transport;
pub mod probe;
pub mod read;
pub mod session;
#[cfg(feature = "simulator")]
pub mod simulator;
pub mod status_word;
pub mod transport;
#[cfg(feature = "simulator")]
pub mod vpcd;

pub use apdu::{ApduError, Command, Response};
pub use card_kind::{CardKind, detect};
pub use status_word::StatusWord;
pub use transport::{Card, Stats, Transport, TransportError};
