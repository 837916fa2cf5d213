//! Streams an export to the client while it is written: the writer runs off the async
//! workers and hands over chunks of 64 KiB through a channel of a few chunks, so memory
//! stays flat however large the export; a client that goes away stops the writer.
use std::io::{self, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rocket::futures::stream::Stream;
use rocket::http::{ContentType, Header};
use rocket::request::Request;
use rocket::response::stream::ByteStream;
use rocket::response::{self, Responder, Response};
use rocket::tokio::sync::mpsc;

use crate::db::Db;
use crate::error::Result;
use crate::export::records::{self, RecordFormat, Selection};
use crate::export::{self, ExportGraph, GraphFormat};
use crate::graph::query::{self, Answer, Params, Problems, ViewRequest};
use crate::graph::{GraphState, Viewer};

const CHUNK: usize = 64 * 1024;
/// Chunks in flight: at most this many (plus one being written) are held at once.
const IN_FLIGHT: usize = 4;

/// A `Write` that sends full chunks down a channel, blocking while the client is behind.
struct ChannelWriter {
    tx: mpsc::Sender<Vec<u8>>,
    buf: Vec<u8>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx
            .blocking_send(chunk)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

/// The chunks of a streamed export as they are written (one type for every format, so
/// that one route can answer in several).
pub struct Chunks(mpsc::Receiver<Vec<u8>>);

impl Stream for Chunks {
    type Item = Vec<u8>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Vec<u8>>> {
        self.0.poll_recv(cx)
    }
}

/// Runs `write` on a blocking thread and streams what it writes.
pub fn streamed(
    write: impl FnOnce(&mut dyn Write) -> io::Result<()> + Send + 'static,
) -> ByteStream<Chunks> {
    let (tx, rx) = mpsc::channel::<Vec<u8>>(IN_FLIGHT);
    rocket::tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK),
        };
        // A failed write means the client left; the answer has begun, so there is
        // nobody to tell.
        let _ = write(&mut out).and_then(|_| out.flush());
    });
    ByteStream(Chunks(rx))
}

/// A download: the streamed body with its type and file name.
pub struct Download {
    body: ByteStream<Chunks>,
    content_type: ContentType,
    disposition: Header<'static>,
}

impl Download {
    /// `filename` must be plain ASCII without quotes (made from fixed names).
    pub fn new(body: ByteStream<Chunks>, content_type: ContentType, filename: &str) -> Self {
        Download {
            body,
            content_type,
            disposition: Header::new(
                "Content-Disposition",
                format!("attachment; filename=\"{filename}\""),
            ),
        }
    }
}

impl<'r> Responder<'r, 'r> for Download {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'r> {
        Response::build_from(self.body.respond_to(req)?)
            .header(self.content_type)
            .header(self.disposition)
            .ok()
    }
}

/// Reads a view from the network page's parameters and collects its export, off the
/// async workers; bad parameters come back as `Problems`.
pub async fn graph_export(
    graph: &Arc<GraphState>,
    params: Params,
    viewer: Viewer,
) -> Result<Result<Answer<ExportGraph>, Problems>> {
    let s = graph.current();
    super::pool::heavy(move || {
        let request = query::parse::<ViewRequest>(&s, &params, viewer)?;
        let graph = export::graph_of(&s, &request, viewer);
        let persons = graph.persons.clone();
        Ok(Answer {
            body: graph,
            persons,
        })
    })
    .await
}

/// The export of a view as a streamed file named `network.<format>`.
pub fn graph_download(format: GraphFormat, graph: ExportGraph) -> Download {
    let (top, sub) = format.media_type();
    let content_type = ContentType::new(top, sub).with_params(("charset", "utf-8"));
    let filename = format!("network.{}", format.extension());
    Download::new(
        streamed(move |out| format.write(&graph, out)),
        content_type,
        &filename,
    )
}

/// Reads a view from the network page's parameters and makes the selection of a record
/// export on the current snapshot, off the async workers. The answer's persons are those
/// the file may show a signed-in caller (none are logged for anonymous callers, whose
/// files hold public persons only).
pub async fn records_export(
    graph: &Arc<GraphState>,
    params: Params,
    viewer: Viewer,
) -> Result<Result<Answer<Selection>, Problems>> {
    let s = graph.current();
    super::pool::heavy(move || {
        let request = query::parse::<ViewRequest>(&s, &params, viewer)?;
        let selection = Selection::of(s, &request, viewer);
        let persons = match viewer {
            Viewer::SignedIn => selection.persons().clone(),
            Viewer::Anonymous => Default::default(),
        };
        Ok(Answer {
            body: selection,
            persons,
        })
    })
    .await
}

/// The records of a selection as a streamed file, read from the database while it is
/// written.
pub fn records_download(format: RecordFormat, selection: Selection, db: &Db) -> Download {
    let (top, sub) = format.media_type();
    let mut content_type = ContentType::new(top, sub);
    if format.is_text() {
        content_type = content_type.with_params(("charset", "utf-8"));
    }
    let pool = db.pool().clone();
    Download::new(
        streamed(move |out| records::write(format, &selection, &pool, out)),
        content_type,
        format.filename(),
    )
}
