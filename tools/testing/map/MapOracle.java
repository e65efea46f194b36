// SPDX-License-Identifier: GPL-2.0-only
/*
 * MapOracle: run a script of table operations through OpenJDK's own
 * java.lang.ThreadLocal$ThreadLocalMap and print the table after each one.
 *
 * This is the reference side of the differential test: the same script fed
 * to map-replay (replay.c, which drives module/map.c) must print the same
 * bytes. See replay.c for the script grammar and the output format; this
 * program parses and prints exactly as it does.
 *
 * The map is driven by reflection, so run with
 *   java --add-opens java.base/java.lang=ALL-UNNAMED MapOracle < script
 *
 * Keys are ThreadLocal objects whose final field threadLocalHashCode is
 * overwritten with the script's hash. The oracle holds a strong reference
 * to every live key, so the garbage collector never clears an entry on its
 * own; "kill ID" plays the collector's part by clearing the referent of
 * every entry of that key and dropping the strong reference.
 */
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;

public final class MapOracle {
	static final int MAX_KEYS = 4096;

	/* Reflective handles on the JDK's private members. */
	static Constructor<?> mapCtor;
	static Method mapSet, mapGetEntry, mapRemove, mapExpungeAll;
	static Field mapTable, mapSize, mapThreshold, entryValue, keyHash;

	/* Script state, as in replay.c. */
	static ThreadLocal<?>[] keys = new ThreadLocal<?>[MAX_KEYS];
	static boolean[] exists = new boolean[MAX_KEYS];
	static boolean[] dead = new boolean[MAX_KEYS];
	static IdentityHashMap<ThreadLocal<?>, Integer> keyIds =
		new IdentityHashMap<>();
	/* Entry -> id of its key, so stale entries can still be named. */
	static IdentityHashMap<Object, Integer> entryIds = new IdentityHashMap<>();
	static Object map;

	static void init() throws ReflectiveOperationException {
		Class<?> mapClass =
			Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
		Class<?> entryClass =
			Class.forName("java.lang.ThreadLocal$ThreadLocalMap$Entry");

		mapCtor = mapClass.getDeclaredConstructor(ThreadLocal.class,
							  Object.class);
		mapSet = mapClass.getDeclaredMethod("set", ThreadLocal.class,
						    Object.class);
		mapGetEntry = mapClass.getDeclaredMethod("getEntry",
							 ThreadLocal.class);
		mapRemove = mapClass.getDeclaredMethod("remove",
						       ThreadLocal.class);
		mapExpungeAll = mapClass.getDeclaredMethod("expungeStaleEntries");
		mapTable = mapClass.getDeclaredField("table");
		mapSize = mapClass.getDeclaredField("size");
		mapThreshold = mapClass.getDeclaredField("threshold");
		entryValue = entryClass.getDeclaredField("value");
		keyHash = ThreadLocal.class.getDeclaredField("threadLocalHashCode");

		mapCtor.setAccessible(true);
		mapSet.setAccessible(true);
		mapGetEntry.setAccessible(true);
		mapRemove.setAccessible(true);
		mapExpungeAll.setAccessible(true);
		mapTable.setAccessible(true);
		mapSize.setAccessible(true);
		mapThreshold.setAccessible(true);
		entryValue.setAccessible(true);
		keyHash.setAccessible(true);
	}

	static class ScriptError extends Exception {
		private static final long serialVersionUID = 1L;

		ScriptError(String msg) {
			super(msg);
		}
	}

	/*
	 * A cursor over one line that reads the way sscanf() does: %s, %d and
	 * %li (base taken from the prefix, as strtol(..., 0)). Each read
	 * returns null where sscanf would stop matching.
	 */
	static final class Cursor {
		final String s;
		int pos;

		Cursor(String s) {
			this.s = s;
		}

		static boolean isSpace(char c) {
			return c == ' ' || c == '\t' || c == '\n' || c == '\013' ||
			       c == '\f' || c == '\r';
		}

		static int digit(char c, int base) {
			int d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (c >= 'a' && c <= 'z')
				d = c - 'a' + 10;
			else if (c >= 'A' && c <= 'Z')
				d = c - 'A' + 10;
			else
				return -1;
			return d < base ? d : -1;
		}

		void skipSpace() {
			while (pos < s.length() && isSpace(s.charAt(pos)))
				pos++;
		}

		String word() {
			int start;

			skipSpace();
			start = pos;
			while (pos < s.length() && !isSpace(s.charAt(pos)))
				pos++;
			return pos > start ? s.substring(start, pos) : null;
		}

		/* base 10, or 0 for C's automatic 0x / 0 prefixes */
		Long number(int base) {
			boolean neg = false;
			long v = 0;
			int d, ndigits = 0;

			skipSpace();
			if (pos < s.length() &&
			    (s.charAt(pos) == '-' || s.charAt(pos) == '+'))
				neg = s.charAt(pos++) == '-';
			if (base == 0) {
				base = 10;
				if (pos < s.length() && s.charAt(pos) == '0') {
					base = 8;
					if (pos + 2 < s.length() &&
					    (s.charAt(pos + 1) | 0x20) == 'x' &&
					    digit(s.charAt(pos + 2), 16) >= 0) {
						base = 16;
						pos += 2;
					}
				}
			}
			while (pos < s.length() &&
			       (d = digit(s.charAt(pos), base)) >= 0) {
				v = v * base + d;
				pos++;
				ndigits++;
			}
			if (ndigits == 0)
				return null;
			return neg ? -v : v;
		}
	}

	static int needKey(Long id, int lineno) throws ScriptError {
		if (id < 0 || id >= MAX_KEYS || !exists[(int)(long)id])
			throw new ScriptError("line " + lineno + ": no key " + id);
		if (dead[(int)(long)id])
			throw new ScriptError("line " + lineno + ": key " + id +
					      " is dead and cannot be used");
		return (int)(long)id;
	}

	static Object[] table() throws ReflectiveOperationException {
		return (Object[])mapTable.get(map);
	}

	static Object entryValue(Object e) throws ReflectiveOperationException {
		return entryValue.get(e);
	}

	/*
	 * Learn the key of every live entry, and forget entries that have
	 * left the table. A stale entry keeps the id learnt while it was live.
	 */
	static void learnEntries() throws ReflectiveOperationException {
		IdentityHashMap<Object, Integer> ids = new IdentityHashMap<>();

		if (map == null) {
			entryIds = ids;
			return;
		}
		for (Object o : table()) {
			if (o == null)
				continue;
			Object k = ((Reference<?>)o).get();

			if (k != null)
				ids.put(o, keyIds.get(k));
			else if (entryIds.containsKey(o))
				ids.put(o, entryIds.get(o));
		}
		entryIds = ids;
	}

	static void printState(StringBuilder out)
		throws ReflectiveOperationException, ScriptError {
		if (map == null) {
			out.append("len=0 size=0 threshold=0 |\n");
			return;
		}
		Object[] tab = table();

		out.append("len=").append(tab.length)
		   .append(" size=").append(mapSize.getInt(map))
		   .append(" threshold=").append(mapThreshold.getInt(map))
		   .append(" |");
		for (Object o : tab) {
			if (o == null) {
				out.append(" .");
				continue;
			}
			boolean stale = ((Reference<?>)o).get() == null;
			Integer id = entryIds.get(o);

			if (id == null)
				throw new ScriptError("entry of unknown key in table");
			out.append(stale ? " x" : " k").append(id).append('=')
			   .append(entryValue(o));
		}
		out.append('\n');
	}

	static void doSet(int id, long value) throws ReflectiveOperationException {
		if (map == null)
			map = mapCtor.newInstance(keys[id], (Object)value);
		else
			mapSet.invoke(map, keys[id], (Object)value);
	}

	/* The collector clears the key's referents; the key is gone. */
	static void doKill(int id) throws ReflectiveOperationException {
		ThreadLocal<?> k = keys[id];

		if (map != null)
			for (Object o : table())
				if (o != null &&
				    ((Reference<?>)o).get() == k)
					((Reference<?>)o).clear();
		keyIds.remove(k);
		keys[id] = null;
		dead[id] = true;
	}

	static void reset() {
		map = null;
		keys = new ThreadLocal<?>[MAX_KEYS];
		exists = new boolean[MAX_KEYS];
		dead = new boolean[MAX_KEYS];
		keyIds = new IdentityHashMap<>();
		entryIds = new IdentityHashMap<>();
	}

	static void run(String line, int lineno, StringBuilder out)
		throws ReflectiveOperationException, ScriptError {
		Cursor c = new Cursor(line);
		String op = c.word();
		Long id = null, arg = null;

		out.append(line).append(" | ");
		if (op.equals("key") && (id = c.number(10)) != null &&
		    (arg = c.number(0)) != null) {
			if (id < 0 || id >= MAX_KEYS || exists[(int)(long)id])
				throw new ScriptError("line " + lineno + ": bad key");
			ThreadLocal<Object> k = new ThreadLocal<>();

			keyHash.setInt(k, (int)(long)arg);
			if (keyHash.getInt(k) != (int)(long)arg)
				throw new ScriptError("cannot set threadLocalHashCode");
			keys[(int)(long)id] = k;
			exists[(int)(long)id] = true;
			keyIds.put(k, (int)(long)id);
			out.append('-');
		} else if (op.equals("set") && (id = c.number(10)) != null &&
			   (arg = c.number(10)) != null) {
			doSet(needKey(id, lineno), arg);
			out.append('-');
		} else if (op.equals("get") && (id = c.number(10)) != null) {
			int i = needKey(id, lineno);
			Object e = null;

			if (map != null)
				e = mapGetEntry.invoke(map, keys[i]);
			if (e != null)
				out.append(entryValue(e));
			else
				out.append("none");
		} else if (op.equals("remove") && (id = c.number(10)) != null) {
			int i = needKey(id, lineno);

			if (map != null)
				mapRemove.invoke(map, keys[i]);
			out.append('-');
		} else if (op.equals("kill") && (id = c.number(10)) != null) {
			doKill(needKey(id, lineno));
			out.append('-');
		} else if (op.equals("expunge")) {
			if (map != null)
				mapExpungeAll.invoke(map);
			out.append('-');
		} else if (op.equals("reset")) {
			reset();
			out.append('-');
		} else {
			throw new ScriptError("line " + lineno + ": cannot parse '" +
					      line + "'");
		}
		learnEntries();
		out.append(" | ");
		printState(out);
	}

	static boolean blank(String line) {
		for (int i = 0; i < line.length(); i++)
			if (!Cursor.isSpace(line.charAt(i)))
				return false;
		return true;
	}

	static void emit(OutputStream os, StringBuilder out) throws IOException {
		os.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
		out.setLength(0);
	}

	public static void main(String[] args) throws Exception {
		OutputStream os = new BufferedOutputStream(
			new FileOutputStream(FileDescriptor.out), 1 << 16);
		StringBuilder out = new StringBuilder();
		int lineno = 0, start = 0;
		String text;

		init();
		/* Bytes in, bytes out: only '\n' ends a line, as for fgets(). */
		text = new String(System.in.readAllBytes(),
				  StandardCharsets.ISO_8859_1);
		while (start < text.length()) {
			int end = text.indexOf('\n', start);
			String line;

			if (end < 0)
				end = text.length();
			line = text.substring(start, end);
			start = end + 1;
			lineno++;
			if (line.isEmpty() || line.charAt(0) == '#' || blank(line))
				continue;
			try {
				run(line, lineno, out);
			} catch (ScriptError err) {
				emit(os, out);
				os.flush();
				System.err.println(err.getMessage());
				System.exit(2);
			} catch (InvocationTargetException err) {
				emit(os, out);
				os.flush();
				System.err.println("line " + lineno + ": " +
						   err.getCause());
				System.exit(1);
			}
			if (out.length() >= 1 << 16)
				emit(os, out);
		}
		emit(os, out);
		os.flush();
	}
}
