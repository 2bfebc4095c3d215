#![no_main]
// Decode, and for what decodes: encode -> decode gives the same basic four.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(e) = menkyo_core::kenhojo::Ef0002::decode(data) {
        if let Ok(again) = e.info.encode() {
            assert_eq!(menkyo_core::kenhojo::Ef0002::decode(&again).map(|x| x.info), Ok(e.info));
        }
    }
});
