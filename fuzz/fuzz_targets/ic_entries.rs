#![no_main]
// Decode, and for what decodes: the signed part is a prefix of the input, and encode -> decode
// gives the same entries.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(e) = menkyo_core::ic_licence::Entries::decode(data) {
        assert!(data.starts_with(e.part().tlv()));
        if let Ok(again) = e.info().encode() {
            assert_eq!(menkyo_core::ic_licence::Entries::decode(&again).as_ref().map(|x| x.info()), Ok(e.info()));
        }
    }
});
