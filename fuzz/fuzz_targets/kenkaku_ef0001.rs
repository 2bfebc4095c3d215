#![no_main]
// The kenkaku age record; a record that decodes also round-trips through its encoder.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(ef) = menkyo_core::kenkaku::Ef0001::decode(data) {
        let again = ef.record.encode(&ef.signature).expect("a decoded age record encodes");
        let back = menkyo_core::kenkaku::Ef0001::decode(&again).expect("an encoded age record decodes");
        assert_eq!(back.record, ef.record);
    }
});
