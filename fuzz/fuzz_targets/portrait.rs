#![no_main]
//! The portrait conversion on hostile JPEG 2000 bytes (a submission's photo, `?portrait=jpeg`).
//! The decoder's own panics are caught by `to_jpeg` and become `PortraitError::Decode`; libFuzzer's
//! panic hook would abort on them first, so it is replaced by a silent one: what is left to
//! find is a hang, an out-of-memory, or a panic that escapes `to_jpeg`.
use std::sync::Once;

static QUIET: Once = Once::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    if let Ok(jpeg) = menkyo_core::portrait::to_jpeg(data) {
        assert_eq!(jpeg.get(..2), Some(&[0xFF, 0xD8][..]));
    }
});
