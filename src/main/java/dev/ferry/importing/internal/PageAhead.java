package dev.ferry.importing.internal;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

import org.slf4j.MDC;

/**
 * The next page of a change set, read from Ferry's store (and made ready to write) on a
 * thread of its own while the run's thread writes the current page to the target, so an
 * apply waits for the target or for the store, not for both in turn. A page read ahead is
 * used only when the next batch starts exactly where it was read from; otherwise the page
 * is read at once. A failure of the read ahead is thrown, as it was thrown, by the
 * {@link #take} that wanted the page.
 * <p>
 * The reading thread is never interrupted (H2 closes its file when a thread reading it
 * is): {@link #close} lets a read in progress finish and the thread end.
 */
final class PageAhead<T> implements AutoCloseable {

	private final LongFunction<T> read;

	private final ExecutorService thread;

	private long position = -1;

	private Future<T> page;

	/**
	 * @param read reads the page after a change row's seq, and prepares it
	 * @param threadName the reading thread's name
	 */
	PageAhead(LongFunction<T> read, String threadName) {
		this.read = read;
		// the reader's log lines carry the run's id like the run's own
		Map<String, String> logContext = MDC.getCopyOfContextMap();
		this.thread = Executors.newSingleThreadExecutor(work -> {
			Thread thread = new Thread(() -> {
				if (logContext != null) {
					MDC.setContextMap(logContext);
				}
				work.run();
			}, threadName);
			thread.setDaemon(true);
			return thread;
		});
	}

	/** The page after {@code afterSeq}: the one read ahead if it starts there. */
	synchronized T take(long afterSeq) {
		Future<T> ahead = (this.page != null && this.position == afterSeq) ? this.page : null;
		if (this.page != null && ahead == null) {
			this.page.cancel(false);
		}
		this.page = null;
		this.position = -1;
		if (ahead == null) {
			return this.read.apply(afterSeq);
		}
		try {
			return ahead.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while reading the change set.", ex);
		}
	}

	/** Starts reading the page after {@code afterSeq}, for the next {@link #take}. */
	synchronized void readAhead(long afterSeq) {
		if (this.page != null) {
			this.page.cancel(false);
		}
		this.position = afterSeq;
		this.page = this.thread.submit(() -> this.read.apply(afterSeq));
	}

	@Override
	public synchronized void close() {
		if (this.page != null) {
			this.page.cancel(false);
			this.page = null;
		}
		this.thread.shutdown();
	}

}
