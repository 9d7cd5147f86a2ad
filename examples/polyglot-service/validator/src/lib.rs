//! The validator: checks a request and answers with a checksum of its
//! payload, so the caller's output shows exactly which data reached it.

wit_bindgen::generate!({
    path: "../wit",
    world: "validator",
});

use exports::example::service::processing::{Guest, Request, Response};

struct Validator;

impl Guest for Validator {
    fn process(req: Request) -> Result<Response, String> {
        if req.id.is_empty() {
            return Err("missing id".to_string());
        }
        if req.payload.is_empty() {
            return Err(format!("request {}: empty payload", req.id));
        }
        if req.priority > 9 {
            return Err(format!("request {}: priority {} out of range 0..=9", req.id, req.priority));
        }
        // Adler-32: small, well known, easy to recompute in a test.
        let (mut a, mut b) = (1u32, 0u32);
        for byte in &req.payload {
            a = (a + u32::from(*byte)) % 65521;
            b = (b + a) % 65521;
        }
        Ok(Response {
            message: format!("validated {} bytes", req.payload.len()),
            id: req.id,
            status: 200,
            checksum: (b << 16) | a,
            tags: vec!["validated-by-rust".to_string()],
        })
    }
}

export!(Validator);
