package dev.infercache.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import dev.infercache.model.ModelId;
import org.jspecify.annotations.Nullable;

/**
 * The hand-rolled cache: a hash map plus two intrusive doubly-linked lists through the
 * same nodes, one in recency order (for LRU eviction) and one in write order (for
 * expiry). Every operation is O(1): a lookup is one hash probe and a few pointer moves;
 * the LRU victim is the recency list's tail; because every entry gets the same time to
 * live, write order is expiry order, so the next entry to expire is always the write
 * list's head and expired entries are swept from there without a scan.
 *
 * <p>
 * Concurrency: one {@link ReentrantLock} guards every change to the map, both lists and
 * {@code bytes}. It is held only for the probe and the pointer updates; keys are hashed,
 * values built and footprints estimated before it is taken. The clock is read under the
 * lock in {@link #put}, so stamps follow link order. The counters are {@link LongAdder}s,
 * updated outside the lock.
 *
 * <p>
 * Lookups take no lock (as in Caffeine): the map is a {@link ConcurrentHashMap}, a node's
 * key, value and stamps are final, so a lookup reads them safely, and it reads the clock
 * only after finding the node, so an age is never negative. Moving the node to the front
 * of the recency list is deferred: the lookup records the node in a small striped ring
 * buffer, and whoever holds the lock next replays the buffer in order (every {@link #put}
 * does so before it evicts; a lookup that fills a buffer does so if
 * {@link ReentrantLock#tryLock} succeeds). A replayed node is moved only if the map still
 * maps its key to it, so a node removed meanwhile is never relinked. When a buffer is
 * full and the lock is busy, the recency update is dropped, so under contention the order
 * is approximate, exactly as Caffeine's read buffer makes it; a single thread always
 * finds the lock free and gets exact LRU order.
 *
 * <p>
 * Expiry: an entry whose time to live has passed is never served unless the lookup
 * accepts that much staleness ({@code max-stale}). Expired entries are kept for
 * {@code staleRetention} so that such a lookup can find them, then removed, lazily: by
 * the lookup that finds them, and by every {@link #put}, which sweeps the write list's
 * head. When the cache is full, an expired entry goes before a live one. Time comes from
 * the injected {@link Clock}.
 *
 * <p>
 * Restored entries ({@link #restore}, warming on start) carry their original stamps, so
 * they are linked into the write list at their place in expiry order rather than at its
 * end: a restore older than every entry held goes to the head, one newer than all to the
 * tail, both O(1), so restoring newest first (or oldest first) costs O(1) per entry. They
 * go to the recency list's tail, as the least recently used, and never evict anything.
 */
public final class LruTtlCache implements PredictionCache {

	private final Clock clock;

	private final long ttlMillis;

	private final long retentionMillis;

	private final int maxSize;

	/**
	 * The byte bound on {@code bytes}; {@link Long#MAX_VALUE} when only the entry count
	 * is bounded.
	 */
	private final long maxBytes;

	private final ReentrantLock lock = new ReentrantLock();

	private final ConcurrentHashMap<CacheKey, Node> map;

	/** Lookups waiting to be replayed into the recency list; see the class comment. */
	private final ReadBuffer[] readBuffers;

	/** Sentinel of the recency list: {@code head.next} is the most recently used. */
	private final Node recency = Node.sentinel();

	/**
	 * Sentinel of the write list: {@code writes.after} is the oldest write, next to
	 * expire.
	 */
	private final Node writes = Node.sentinel();

	/** Guarded by {@code lock}: the footprint of the entries held, without the table. */
	private long bytes;

	private final long tableBytes;

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	private final LongAdder evictions = new LongAdder();

	private final LongAdder expirations = new LongAdder();

	/**
	 * Creates an empty cache bounded by entry count only.
	 * @param maxSize the most entries held
	 * @param ttl the time to live of an entry
	 * @param staleRetention how long an expired entry is kept for {@code max-stale}
	 * lookups
	 * @param clock the source of time
	 */
	public LruTtlCache(int maxSize, Duration ttl, Duration staleRetention, Clock clock) {
		this(maxSize, Long.MAX_VALUE, ttl, staleRetention, clock);
	}

	/**
	 * Creates an empty cache bounded by entry count and by the estimated bytes of its
	 * entries (their {@link EntryFootprint} plus this cache's nodes; the fixed table is
	 * not counted).
	 * @param maxSize the most entries held
	 * @param maxBytes the most estimated bytes held ({@link Long#MAX_VALUE}: no byte
	 * bound)
	 * @param ttl the time to live of an entry
	 * @param staleRetention how long an expired entry is kept for {@code max-stale}
	 * lookups
	 * @param clock the source of time
	 */
	public LruTtlCache(int maxSize, long maxBytes, Duration ttl, Duration staleRetention, Clock clock) {
		CacheLimits.check(maxSize, maxBytes, ttl, staleRetention);
		this.maxSize = maxSize;
		this.maxBytes = maxBytes;
		this.ttlMillis = ttl.toMillis();
		this.retentionMillis = staleRetention.toMillis();
		this.clock = clock;
		// Sized once so the table never resizes (it holds at most maxSize, below 3/4 of
		// its
		// length): its bytes are then a known constant.
		this.map = new ConcurrentHashMap<>(maxSize, 0.75f, 1);
		long slots = Long.highestOneBit((long) (1.0 + maxSize / 0.75) - 1) << 1;
		this.tableBytes = EntryFootprint.align(16 + 4L * Math.min(1L << 30, slots));
		this.readBuffers = new ReadBuffer[READ_BUFFERS];
		for (int i = 0; i < READ_BUFFERS; i++) {
			this.readBuffers[i] = new ReadBuffer();
		}
	}

	@Override
	public @Nullable CacheHit get(CacheKey key, Freshness freshness) {
		Node node = this.map.get(key);
		// Read after the node was found: the node was stamped before it was published, so
		// with a
		// monotonic clock its age is never negative.
		long now = this.clock.millis();
		if (node == null) {
			this.misses.increment();
			return null;
		}
		if (node.isPastRetention(now, this.retentionMillis)) {
			expire(node);
			this.misses.increment();
			return null;
		}
		if (!node.isFresh(now, freshness)) {
			this.misses.increment();
			return null;
		}
		recordRead(node);
		this.hits.increment();
		return node.hit(now);
	}

	/**
	 * Removes a node found past its retention, unless a put replaced or removed it
	 * meanwhile.
	 */
	private void expire(Node node) {
		this.lock.lock();
		try {
			if (this.map.get(node.key) == node) {
				remove(node);
				this.expirations.increment();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public boolean contains(CacheKey key) {
		Node node = this.map.get(key);
		return node != null && node.isFresh(this.clock.millis());
	}

	@Override
	public boolean restore(CacheKey key, CachedPrediction value, Instant storedAt) {
		long weight = EntryFootprint.of(key, value) + Node.BYTES + EntryFootprint.hashMapNode();
		boolean stored = false;
		int expired;
		this.lock.lock();
		try {
			long now = this.clock.millis();
			// a stamp from a clock that ran ahead of ours must not make the age negative
			long stamp = Math.min(storedAt.toEpochMilli(), now);
			long expiresAt = stamp + this.ttlMillis;
			expired = sweepExpired(now);
			if (expiresAt > now && !this.map.containsKey(key) && this.map.size() < this.maxSize
					&& this.bytes + weight <= this.maxBytes) {
				Node restored = new Node(key, value, stamp, expiresAt, weight);
				this.map.put(key, restored);
				linkRecencyLast(restored);
				linkWriteInExpiryOrder(restored);
				this.bytes += weight;
				stored = true;
			}
		}
		finally {
			this.lock.unlock();
		}
		this.expirations.add(expired);
		return stored;
	}

	@Override
	public boolean remove(CacheKey key) {
		this.lock.lock();
		try {
			Node node = this.map.get(key);
			if (node == null) {
				return false;
			}
			remove(node);
			// one past its retention was as good as gone: a lookup would have dropped it
			return !node.isPastRetention(this.clock.millis(), this.retentionMillis);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public List<CacheKey> keysByHeaderValue(String headerValue, ModelId model) {
		List<CacheKey> keys = new ArrayList<>(1);
		for (CacheKey key : this.map.keySet()) {
			if (key.hash().startsWith(headerValue) && key.model().equals(model)) {
				keys.add(key);
			}
		}
		return keys;
	}

	/**
	 * Defers the move of a node to the front of the recency list; see the class comment.
	 */
	private void recordRead(Node node) {
		ReadBuffer buffer = this.readBuffers[stripe()];
		if (buffer.offer(node) && this.lock.tryLock()) {
			try {
				drainReadBuffers();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	private static int stripe() {
		return (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> (64 - READ_BUFFER_BITS));
	}

	/** Lock held: replays every recorded lookup, in order per buffer. */
	private void drainReadBuffers() {
		for (ReadBuffer buffer : this.readBuffers) {
			buffer.drainTo(this);
		}
	}

	/**
	 * Lock held: a recorded lookup of a node, applied only if the node is still the key's
	 * entry.
	 */
	private void touch(Node node) {
		if (this.map.get(node.key) == node) {
			unlinkRecency(node);
			linkRecencyFirst(node);
		}
	}

	@Override
	public void put(CacheKey key, CachedPrediction value) {
		long weight = EntryFootprint.of(key, value) + Node.BYTES + EntryFootprint.hashMapNode();
		int evicted = 0;
		int expired = 0;
		this.lock.lock();
		try {
			// Time is read under the lock: the write list stays in expiry order only if
			// stamps are
			// taken in the order nodes are linked.
			long now = this.clock.millis();
			Node fresh = new Node(key, value, now, now + this.ttlMillis, weight);
			// Recency must be current before a victim is chosen.
			drainReadBuffers();
			expired += sweepExpired(now);
			Node old = this.map.put(key, fresh);
			if (old != null) {
				unlinkRecency(old);
				unlinkWrite(old);
				this.bytes -= old.weight;
			}
			linkRecencyFirst(fresh);
			linkWriteLast(fresh);
			this.bytes += weight;
			// Each entry is evicted at most once, so this loop is O(1) amortized even
			// when a
			// large entry under a byte bound pushes out several small ones.
			while (this.map.size() > this.maxSize || this.bytes > this.maxBytes) {
				Node oldest = this.writes.after;
				if (!oldest.isFresh(now)) {
					remove(oldest);
					expired++;
				}
				else {
					remove(this.recency.prev);
					evicted++;
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		this.evictions.add(evicted);
		this.expirations.add(expired);
	}

	@Override
	public void clear() {
		this.lock.lock();
		try {
			this.map.clear();
			this.recency.next = this.recency;
			this.recency.prev = this.recency;
			this.writes.after = this.writes;
			this.writes.before = this.writes;
			this.bytes = 0;
			this.hits.reset();
			this.misses.reset();
			this.evictions.reset();
			this.expirations.reset();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public CacheStats stats() {
		long now = this.clock.millis();
		long size;
		long held;
		this.lock.lock();
		try {
			// Expired entries kept for max-stale are held but not live: walk them from
			// the head
			// of the write list; there are never more than the retention window holds.
			long expiredHeld = 0;
			for (Node n = this.writes.after; n != this.writes && !n.isFresh(now); n = n.after) {
				expiredHeld++;
			}
			size = this.map.size() - expiredHeld;
			held = this.map.isEmpty() ? 0 : this.bytes + this.tableBytes;
		}
		finally {
			this.lock.unlock();
		}
		return CacheStats.of(size, this.maxSize, this.ttlMillis / 1000, this.hits.sum(), this.misses.sum(), held,
				this.evictions.sum(), this.expirations.sum(), "local");
	}

	private static final int READ_BUFFER_BITS = 2;

	/**
	 * Stripes of the read buffer: threads spread over them so that they rarely share one.
	 */
	private static final int READ_BUFFERS = 1 << READ_BUFFER_BITS;

	/**
	 * A bounded, lossy ring of recorded lookups (Caffeine's {@code BoundedBuffer},
	 * simplified): any thread offers, only the lock holder drains. An offer claims a slot
	 * by advancing {@code tail} and then fills it; the drainer stops at a claimed slot
	 * not filled yet.
	 */
	private static final class ReadBuffer {

		static final int SIZE = 16;

		final AtomicReferenceArray<Node> slots = new AtomicReferenceArray<>(SIZE);

		final AtomicLong tail = new AtomicLong();

		/** Written only by the lock holder. */
		volatile long head;

		/**
		 * Records a node, or drops it when the buffer is full or another thread won the
		 * slot.
		 * @return whether the buffer is now full and worth draining
		 */
		boolean offer(Node node) {
			long t = this.tail.get();
			long size = t - this.head;
			if (size >= SIZE) {
				return true;
			}
			if (this.tail.compareAndSet(t, t + 1)) {
				this.slots.lazySet((int) (t & (SIZE - 1)), node);
				return size + 1 >= SIZE;
			}
			return false;
		}

		/** Lock held. */
		void drainTo(LruTtlCache cache) {
			long h = this.head;
			long t = this.tail.get();
			for (; h < t; h++) {
				int index = (int) (h & (SIZE - 1));
				Node node = this.slots.get(index);
				if (node == null) {
					break;
				}
				this.slots.lazySet(index, null);
				cache.touch(node);
			}
			this.head = h;
		}

	}

	/** Removes entries expired for longer than the retention, oldest first. Lock held. */
	private int sweepExpired(long now) {
		int swept = 0;
		Node oldest = this.writes.after;
		while (oldest != this.writes && oldest.isPastRetention(now, this.retentionMillis)) {
			remove(oldest);
			swept++;
			oldest = this.writes.after;
		}
		return swept;
	}

	/** Lock held. */
	private void remove(Node node) {
		this.map.remove(node.key);
		unlinkRecency(node);
		unlinkWrite(node);
		this.bytes -= node.weight;
	}

	private void linkRecencyFirst(Node node) {
		node.prev = this.recency;
		node.next = this.recency.next;
		this.recency.next.prev = node;
		this.recency.next = node;
	}

	private void linkRecencyLast(Node node) {
		node.next = this.recency;
		node.prev = this.recency.prev;
		this.recency.prev.next = node;
		this.recency.prev = node;
	}

	private static void unlinkRecency(Node node) {
		node.prev.next = node.next;
		node.next.prev = node.prev;
	}

	private void linkWriteLast(Node node) {
		node.after = this.writes;
		node.before = this.writes.before;
		this.writes.before.after = node;
		this.writes.before = node;
	}

	/**
	 * Links a node with stamps of its own where its expiry belongs: at the tail when it
	 * is the newest, otherwise after the last node that expires no later, searched from
	 * the head (a restore older than everything held stops at once).
	 */
	private void linkWriteInExpiryOrder(Node node) {
		Node newest = this.writes.before;
		if (newest == this.writes || newest.expiresAt <= node.expiresAt) {
			linkWriteLast(node);
			return;
		}
		Node next = this.writes.after;
		while (next.expiresAt <= node.expiresAt) {
			next = next.after;
		}
		node.after = next;
		node.before = next.before;
		next.before.after = node;
		next.before = node;
	}

	private static void unlinkWrite(Node node) {
		node.before.after = node.after;
		node.after.before = node.before;
	}

	/**
	 * An entry, linked into both lists. Fields other than the links are final. The
	 * sentinels hold neither key nor value and never expire.
	 */
	private static final class Node extends StampedEntry {

		/** Header, 2 references (value, key), 3 longs, 4 links: padded to 8. */
		static final long BYTES = EntryFootprint.align(12 + 2 * 4 + 3 * 8 + 4 * 4);

		final @Nullable CacheKey key;

		final long weight;

		Node prev;

		Node next;

		Node before;

		Node after;

		@SuppressWarnings("NullAway")
		Node(@Nullable CacheKey key, @Nullable CachedPrediction value, long storedAt, long expiresAt, long weight) {
			super(value, storedAt, expiresAt);
			this.key = key;
			this.weight = weight;
			this.prev = this;
			this.next = this;
			this.before = this;
			this.after = this;
		}

		static Node sentinel() {
			return new Node(null, null, 0, Long.MAX_VALUE, 0);
		}

	}

}
