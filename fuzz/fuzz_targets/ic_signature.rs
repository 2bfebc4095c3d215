#![no_main]
// Decode, and for what decodes: encode -> decode gives the same signature items.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = menkyo_core::ic_licence::Signature::decode(data) {
        if let Ok(again) = s.encode() {
            assert_eq!(menkyo_core::ic_licence::Signature::decode(&again), Ok(s));
        }
    }
});
