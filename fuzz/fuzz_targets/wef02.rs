#![no_main]
// Decode, and for what decodes: encode -> decode gives the same licence information.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(w) = menkyo_core::licence::Wef02::decode(data) {
        if let Ok(again) = w.info.encode() {
            assert_eq!(menkyo_core::licence::Wef02::decode(&again).map(|x| x.info), Ok(w.info));
        }
    }
});
