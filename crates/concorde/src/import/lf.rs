//! CRLF line ends as LF, in memory or on a stream: the CSV reader numbers the records of a CRLF
//! file one line short otherwise.

use std::io::{BufRead, Read};

/// CRLF line ends as LF (a lone CR stays). The CSV reader stops a record at the CR and takes
/// the LF as the start of the next one, which it then numbers a line too early; the bodies lose
/// their CR later anyway.
pub fn crlf_to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut it = bytes.iter().peekable();
    while let Some(&b) = it.next() {
        if b == b'\r' && it.peek() == Some(&&b'\n') {
            continue;
        }
        out.push(b);
    }
    out
}

/// `crlf_to_lf` on a stream: a CR at the end of a buffer waits for the next byte.
pub struct Lf<R> {
    pub inner: R,
    pub pending_cr: bool,
}

impl<R: BufRead> Read for Lf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                if self.pending_cr {
                    self.pending_cr = false;
                    out[0] = b'\r';
                    return Ok(1);
                }
                return Ok(0);
            }
            let mut n = 0;
            let mut used = 0;
            if self.pending_cr {
                self.pending_cr = false;
                if buf[0] != b'\n' {
                    out[n] = b'\r';
                    n += 1;
                }
            }
            while used < buf.len() && n < out.len() {
                let b = buf[used];
                used += 1;
                if b == b'\r' {
                    match buf.get(used) {
                        Some(b'\n') => continue,
                        Some(_) => {}
                        None => {
                            self.pending_cr = true;
                            continue;
                        }
                    }
                }
                out[n] = b;
                n += 1;
            }
            self.inner.consume(used);
            if n > 0 {
                return Ok(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    #[test]
    fn crlf_becomes_lf_across_buffers() {
        let text = b"a\r\nb\rc\r\n\r\nd\r";
        assert_eq!(crlf_to_lf(text), b"a\nb\rc\n\nd\r");
        for cap in 1..8 {
            let mut lf = Lf {
                inner: BufReader::with_capacity(cap, &text[..]),
                pending_cr: false,
            };
            let mut out = Vec::new();
            lf.read_to_end(&mut out).ok();
            assert_eq!(out, b"a\nb\rc\n\nd\r", "buffers of {cap}");
        }
    }
}
