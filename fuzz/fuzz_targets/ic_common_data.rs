#![no_main]
// Decode, and for what decodes: encode -> decode gives the same common data.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(c) = menkyo_core::ic_licence::CommonData::decode(data) {
        if let Ok(again) = c.encode() {
            assert_eq!(menkyo_core::ic_licence::CommonData::decode(&again), Ok(c));
        }
    }
});
