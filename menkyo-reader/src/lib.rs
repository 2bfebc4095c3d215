//! Reading the マイナ免許証: APDUs, status words, transports, the card simulator and the
//! reading session used by the `menkyo` command.
#![forbid(unsafe_code)]

pub mod apdu;
pub mod card_profile;
pub mod pcsc_transport;
pub mod read;
pub mod session;
#[cfg(feature = "simulator")]
pub mod simulator;
pub mod status_word;
pub mod transport;
#[cfg(feature = "simulator")]
pub mod vpcd;

pub use apdu::{ApduError, Command, Response};
pub use status_word::StatusWord;
pub use transport::{Card, Stats, Transport, TransportError};
