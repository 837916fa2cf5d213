//! A ZIP archive written front to back into any `io::Write`, as a stream: each entry is
//! deflated as it is written, its sizes and CRC follow it in a data descriptor (so the
//! writer never seeks back), and the central directory closes the archive. Enough for
//! the exports (a ZIP of CSV files, XLSX), no ZIP64: an archive or entry past 4 GiB is
//! refused with an error.
use std::io::{self, Write};

use flate2::write::DeflateEncoder;
use flate2::Compression;

/// Version 2.0 (deflate, data descriptors), written by "UNIX" (3) so that names are
/// taken as UTF-8 together with flag bit 11.
const VERSION: u16 = 20;
const MADE_BY: u16 = (3 << 8) | VERSION;
/// Bit 3: sizes and CRC in a data descriptor; bit 11: the name is UTF-8.
const FLAGS: u16 = (1 << 3) | (1 << 11);
const DEFLATE: u16 = 8;
/// 1 January 2026, 00:00, in MS-DOS form: entries carry a fixed time, so the same data
/// give the same archive.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = ((2026 - 1980) << 9) | (1 << 5) | 1;

/// Counts what passes through to the archive's writer.
struct Counting<W: Write> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(data)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// One finished entry, for the central directory.
struct Entry {
    name: String,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

/// The entry being written: its deflater, CRC and uncompressed size.
struct Open {
    name: String,
    offset: u64,
    crc: crc32fast::Hasher,
    size: u64,
    start: u64,
}

pub struct ZipStream<W: Write> {
    /// `None` only while an entry's deflater owns the writer.
    out: Option<Counting<W>>,
    deflater: Option<DeflateEncoder<Counting<W>>>,
    open: Option<Open>,
    done: Vec<Entry>,
    level: Compression,
}

fn too_large() -> io::Error {
    io::Error::other("the archive would exceed 4 GiB (ZIP64 is not written)")
}

fn u32_of(n: u64) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| too_large())
}

impl<W: Write> ZipStream<W> {
    /// A new archive; `Compression::fast()` keeps large exports quick.
    pub fn new(out: W, level: Compression) -> ZipStream<W> {
        ZipStream {
            out: Some(Counting {
                inner: out,
                written: 0,
            }),
            deflater: None,
            open: None,
            done: Vec::new(),
            level,
        }
    }

    /// Ends the open entry, if any, and starts `name`; what is written next goes into it.
    pub fn start(&mut self, name: &str) -> io::Result<()> {
        self.end_entry()?;
        let mut out = self
            .out
            .take()
            .ok_or_else(|| io::Error::other("no writer"))?;
        let offset = out.written;
        let mut header = Vec::with_capacity(30 + name.len());
        header.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        header.extend_from_slice(&VERSION.to_le_bytes());
        header.extend_from_slice(&FLAGS.to_le_bytes());
        header.extend_from_slice(&DEFLATE.to_le_bytes());
        header.extend_from_slice(&DOS_TIME.to_le_bytes());
        header.extend_from_slice(&DOS_DATE.to_le_bytes());
        // CRC, compressed and uncompressed size follow in the data descriptor.
        header.extend_from_slice(&[0; 12]);
        header.extend_from_slice(&(name.len() as u16).to_le_bytes());
        header.extend_from_slice(&0u16.to_le_bytes());
        header.extend_from_slice(name.as_bytes());
        out.write_all(&header)?;
        let start = out.written;
        self.deflater = Some(DeflateEncoder::new(out, self.level));
        self.open = Some(Open {
            name: name.to_string(),
            offset,
            crc: crc32fast::Hasher::new(),
            size: 0,
            start,
        });
        Ok(())
    }

    fn end_entry(&mut self) -> io::Result<()> {
        let (Some(open), Some(deflater)) = (self.open.take(), self.deflater.take()) else {
            return Ok(());
        };
        let mut out = deflater.finish()?;
        let compressed = u32_of(out.written - open.start)?;
        let size = u32_of(open.size)?;
        let crc = open.crc.finalize();
        let mut descriptor = Vec::with_capacity(16);
        descriptor.extend_from_slice(&0x0807_4b50u32.to_le_bytes());
        descriptor.extend_from_slice(&crc.to_le_bytes());
        descriptor.extend_from_slice(&compressed.to_le_bytes());
        descriptor.extend_from_slice(&size.to_le_bytes());
        out.write_all(&descriptor)?;
        self.done.push(Entry {
            name: open.name,
            crc,
            compressed,
            size,
            offset: u32_of(open.offset)?,
        });
        self.out = Some(out);
        Ok(())
    }

    /// Ends the last entry, writes the central directory and hands back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.end_entry()?;
        let mut out = self
            .out
            .take()
            .ok_or_else(|| io::Error::other("no writer"))?;
        let directory_start = out.written;
        for e in &self.done {
            let mut record = Vec::with_capacity(46 + e.name.len());
            record.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            record.extend_from_slice(&MADE_BY.to_le_bytes());
            record.extend_from_slice(&VERSION.to_le_bytes());
            record.extend_from_slice(&FLAGS.to_le_bytes());
            record.extend_from_slice(&DEFLATE.to_le_bytes());
            record.extend_from_slice(&DOS_TIME.to_le_bytes());
            record.extend_from_slice(&DOS_DATE.to_le_bytes());
            record.extend_from_slice(&e.crc.to_le_bytes());
            record.extend_from_slice(&e.compressed.to_le_bytes());
            record.extend_from_slice(&e.size.to_le_bytes());
            record.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            // Extra field, comment, disk number start, internal attributes.
            record.extend_from_slice(&[0; 8]);
            // External attributes: a regular file, rw-r--r--.
            record.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes());
            record.extend_from_slice(&e.offset.to_le_bytes());
            record.extend_from_slice(e.name.as_bytes());
            out.write_all(&record)?;
        }
        let directory_size = u32_of(out.written - directory_start)?;
        let count = u16::try_from(self.done.len()).map_err(|_| too_large())?;
        let mut end = Vec::with_capacity(22);
        end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        end.extend_from_slice(&[0; 4]);
        end.extend_from_slice(&count.to_le_bytes());
        end.extend_from_slice(&count.to_le_bytes());
        end.extend_from_slice(&directory_size.to_le_bytes());
        end.extend_from_slice(&u32_of(directory_start)?.to_le_bytes());
        end.extend_from_slice(&0u16.to_le_bytes());
        out.write_all(&end)?;
        out.flush()?;
        Ok(out.inner)
    }
}

impl<W: Write> Write for ZipStream<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let (Some(open), Some(deflater)) = (self.open.as_mut(), self.deflater.as_mut()) else {
            return Err(io::Error::other("no ZIP entry started"));
        };
        let n = deflater.write(data)?;
        open.crc.update(&data[..n]);
        open.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.deflater.as_mut() {
            Some(d) => d.flush(),
            None => Ok(()),
        }
    }
}
