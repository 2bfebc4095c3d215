//! A whole read of a conventional IC licence into its files, asking for each PIN only after
//! the card said PINs are set and its retry counter was read.

use menkyo_core::IcLicenceFiles;
use menkyo_core::ic_licence::PinSetting;

use crate::ic_session::{IC_PIN1, IcPin2, IcSession};
use crate::session::{LastTry, Pin, ReadError};
use crate::transport::{Stats, Transport};

/// A PIN the card needs, asked for right before the one VERIFY that uses it, with the tries
/// left read from the card just before the question (`u8::MAX` when the card did not say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IcPinRequest {
    /// PIN1 (暗証番号1): opens everything but 本籍 and the photo.
    Pin1 { tries_left: u8 },
    /// PIN2 (暗証番号2): opens 本籍 and the photo. Answering `None` reads what PIN1 opens.
    Pin2 { tries_left: u8 },
}

impl IcPinRequest {
    pub fn tries_left(self) -> u8 {
        match self {
            IcPinRequest::Pin1 { tries_left } | IcPinRequest::Pin2 { tries_left } => tries_left,
        }
    }
}

/// Progress steps, for a display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IcStep {
    /// The MF and its free EFs (common data, PIN setting).
    Card,
    Pin1Verified,
    Pin2Verified,
    /// No PIN2 given: reading without 本籍 and the photo.
    WithoutPin2,
    /// PIN2 is locked: reading without 本籍 and the photo.
    Pin2Blocked,
    /// Every EF the PINs opened is read.
    Read,
}

/// Reads the IC licence behind `transport`. `pins` is called only when MF/EF02 says the
/// holder set PINs (never for a DPIN card), once per PIN, after that PIN's counter was read:
/// `None` for PIN1 is [`ReadError::PinNeeded`]; `None` for PIN2 reads what PIN1 opens (the
/// files then lack EF02, EF06 and the photo). Returns the files, the traffic and the transport.
pub fn read_ic_card<T: Transport>(
    transport: T,
    pins: &mut dyn FnMut(IcPinRequest) -> Option<Pin>,
    last: LastTry,
    progress: &mut dyn FnMut(IcStep),
) -> Result<(IcLicenceFiles, Stats, T), ReadError> {
    progress(IcStep::Card);
    let counted = IcSession::new(transport).select_mf()?.read_free()?.pin1_counter()?;
    let ask = counted.pin_setting() == PinSetting::Set;
    let pin1 = if ask {
        Some(
            pins(IcPinRequest::Pin1 { tries_left: counted.tries_left() })
                .ok_or(ReadError::PinNeeded { what: IC_PIN1 })?,
        )
    } else {
        None
    };
    let open = counted.verify(pin1.as_ref(), last)?;
    progress(IcStep::Pin1Verified);
    let (files, session) = match open.pin2_counter()? {
        IcPin2::Blocked(open) => {
            progress(IcStep::Pin2Blocked);
            open.read()?
        }
        IcPin2::Counted(counted) => {
            let pin2 = if ask { pins(IcPinRequest::Pin2 { tries_left: counted.tries_left() }) } else { None };
            if ask && pin2.is_none() {
                progress(IcStep::WithoutPin2);
                counted.without_pin2().read()?
            } else {
                let open = counted.verify(pin2.as_ref(), last)?;
                progress(IcStep::Pin2Verified);
                open.read()?
            }
        }
    };
    progress(IcStep::Read);
    let stats = session.stats();
    Ok((files, stats, session.into_transport()))
}
