"""Whoosh writers for large batches: several processes, which die with their parent.

Whoosh indexes in pure Python, so a big batch (an import of a whole archive, a rebuild)
is bound by one core. Its :class:`~whoosh.multiproc.MpWriter` shares the documents out
to child processes that each write segments of their own (``multisegment``: no final
merge, which would be single-process again). Here the children are given articles, not
documents: analysing the text (tokens, stems, vocabulary) is most of the work, and done
in the parent it was the bottleneck, and its token lists cost more to pass on than the
article's text.

Whoosh starts those children with ``fork``, so they inherit the open ``write.lock``
descriptors, and they wait on a queue that only the parent feeds. If the parent is
killed (SIGKILL, the out-of-memory killer), they would wait for ever and hold the lock,
and every later import would report the index busy. Here each child watches its parent
and exits as soon as it is gone, releasing the lock with it.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import time

from whoosh.multiproc import MpWriter, SubWriterTask

from reader.model import Article
from reader.search.schema import document

# One per core, from 2 to 4 (measured on 2 cores only); WRITER_MEMORY_MB is split
# between them, so more processes do not mean more memory.
PROCESSES = min(4, max(2, os.cpu_count() or 2))
PARENT_CHECK_SECONDS = 0.5


class _ArticleTask(SubWriterTask):
    """A Whoosh sub-writer that analyses the articles it is given, and exits when the
    process that started it has died."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parent = os.getpid()  # taken here: the parent may be gone before run() starts

    def run(self) -> None:
        # Ctrl+C reaches the whole process group: the parent handles it (and cancels,
        # terminating us); here it would only print a traceback per child.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        self.seen: set[str] = set()  # the vocabulary given so far, see schema.document

        def watch() -> None:
            while os.getppid() == self.parent:
                time.sleep(PARENT_CHECK_SECONDS)
            os._exit(1)  # nothing of ours to save: the parent's commit never happens

        threading.Thread(target=watch, daemon=True, name="reader-parent-watch").start()
        super().run()

    def _process_file(self, filename: str, doc_count: int) -> None:
        """Index one job file of pickled articles (Whoosh's own holds documents)."""
        storage = self.writer.temp_storage()
        with storage.open_file(filename).raw_file() as job:
            for _ in range(doc_count):
                _, article = pickle.load(job)
                self.writer.add_document(**document(article, self.seen))
        storage.delete_file(filename)


class ParallelWriter(MpWriter):
    """Whoosh's multi-process, multi-segment writer, fed articles: :meth:`add_article`."""

    def __init__(self, ix, *, limitmb: int, **kwargs) -> None:
        super().__init__(ix, procs=PROCESSES, multisegment=True, limitmb=limitmb, **kwargs)

    def add_article(self, article: Article, *, replace: bool) -> None:
        """Queue ``article`` for a child; with ``replace``, first delete any indexed
        document of the same id (the parent holds the existing segments)."""
        if replace:
            self.delete_by_term("id", article.id)
        self.docbuffer.append((0, article))
        if len(self.docbuffer) >= self.batchsize:
            self._enqueue()
        self._added_sub = True

    def cancel(self) -> None:
        """Stop the children now (Whoosh's cancel only flags its own copy of them)."""
        for task in self.tasks:
            task.terminate()
        super().cancel()

    def _new_task(self):
        task = _ArticleTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task
