package dev.ferry.importing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import dev.ferry.importing.internal.ImportItems.ItemStream;
import org.slf4j.MDC;

/**
 * Reads an item stream ahead on a thread of its own, at most {@value #CHUNKS} chunks of
 * {@value #CHUNK} items, so that a dry run reads and normalizes one side while it merges
 * the other and commits its batches, instead of waiting for each in turn. The items, and
 * a failure of the stream, come out in exactly the order the stream gives them: a failure
 * is thrown by the {@link #next} call that reaches it, as it was thrown.
 * <p>
 * The stream is used by the reading thread only, from the first item until
 * {@link #close}, which waits for that thread to stop before it closes the stream.
 */
final class ReadAhead<T> implements ItemStream<T> {

	static final int CHUNK = 1000;

	static final int CHUNKS = 4;

	private final ItemStream<T> stream;

	private final BlockingQueue<Chunk<T>> chunks = new ArrayBlockingQueue<>(CHUNKS);

	private final Thread reader;

	private volatile boolean closing;

	private Chunk<T> current;

	private int next;

	private boolean closed;

	ReadAhead(ItemStream<T> stream, String threadName) {
		this.stream = stream;
		// the reader's log lines carry the run's id like the run's own
		Map<String, String> logContext = MDC.getCopyOfContextMap();
		this.reader = new Thread(() -> {
			if (logContext != null) {
				MDC.setContextMap(logContext);
			}
			read();
		}, threadName);
		this.reader.setDaemon(true);
		this.reader.start();
	}

	private void read() {
		try {
			while (!this.closing) {
				List<T> items = new ArrayList<>(CHUNK);
				boolean last = false;
				Throwable failure = null;
				try {
					while (items.size() < CHUNK) {
						T item = this.stream.next();
						if (item == null) {
							last = true;
							break;
						}
						items.add(item);
					}
				}
				catch (RuntimeException | Error ex) {
					// the items before the failure still come first
					last = true;
					failure = ex;
				}
				this.chunks.put(new Chunk<>(items, last, failure));
				if (last) {
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			// only close() stops this thread, and it does not interrupt
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public T next() {
		while (this.current == null || this.next == this.current.items().size()) {
			if (this.current != null && this.current.last()) {
				if (this.current.failure() instanceof RuntimeException failure) {
					throw failure;
				}
				if (this.current.failure() instanceof Error failure) {
					throw failure;
				}
				return null;
			}
			try {
				this.current = this.chunks.take();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while reading ahead", ex);
			}
			this.next = 0;
		}
		return this.current.items().get(this.next++);
	}

	/**
	 * Stops the reading thread (after the item it is reading, if any) and closes the
	 * stream. Closing twice does nothing more.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.closing = true;
		boolean interrupted = false;
		while (this.reader.isAlive()) {
			// a reader waiting for room puts its chunk, sees closing and ends
			this.chunks.clear();
			try {
				this.reader.join(10);
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		this.chunks.clear();
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		this.stream.close();
	}

	/** Items read, whether the stream ended after them, and how it failed if it did. */
	private record Chunk<T>(List<T> items, boolean last, Throwable failure) {
	}

}
