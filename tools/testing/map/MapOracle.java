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
 * The map is driven by reflection, so run it with
 *   java --add-opens java.base/java.lang=ALL-UNNAMED MapOracle < script
 *
 * Keys are ThreadLocal objects whose final field threadLocalHashCode is
 * overwritten with the script's hash. The oracle holds a strong reference
 * to every live key, so the garbage collector never clears an entry on its
 * own; "kill ID" plays the collector's part by clearing the referent of
 * every entry of that key and dropping the strong reference. A killed key
 * cannot be used again.
 */
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;

public final class MapOracle {
	static final int MAX_KEYS = 4096;
	static final String MAP = "java.lang.ThreadLocal$ThreadLocalMap";
	static final String ENTRY = MAP + "$Entry";

	/* The JDK's private members, made accessible. */
	static Constructor<?> mapNew;
	static Method mapSet, mapGetEntry, mapRemove, mapExpungeAll;
	static Field mapTable, mapSize, mapThreshold, entryValue, keyHash;

	/* Script state, as in replay.c. */
	static ThreadLocal<?>[] keys;
	static boolean[] exists, dead;
	static IdentityHashMap<ThreadLocal<?>, Integer> keyIds;
	/* Entry -> id of its key, so that stale entries can still be named. */
	static IdentityHashMap<Object, Integer> entryIds;
	static Object map;

	static class ScriptError extends Exception {
		private static final long serialVersionUID = 1L;

		ScriptError(int lineno, String msg) {
			super("line " + lineno + ": " + msg);
		}
	}

	static void init() throws ReflectiveOperationException {
		Class<?> mapClass = Class.forName(MAP);
		Class<?> entryClass = Class.forName(ENTRY);
		Class<?> tl = ThreadLocal.class;

		mapNew = mapClass.getDeclaredConstructor(tl, Object.class);
		mapSet = mapClass.getDeclaredMethod("set", tl, Object.class);
		mapGetEntry = mapClass.getDeclaredMethod("getEntry", tl);
		mapRemove = mapClass.getDeclaredMethod("remove", tl);
		mapExpungeAll =
			mapClass.getDeclaredMethod("expungeStaleEntries");
		mapTable = mapClass.getDeclaredField("table");
		mapSize = mapClass.getDeclaredField("size");
		mapThreshold = mapClass.getDeclaredField("threshold");
		entryValue = entryClass.getDeclaredField("value");
		keyHash = tl.getDeclaredField("threadLocalHashCode");

		mapNew.setAccessible(true);
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

	/*
	 * A cursor over one line that reads the way sscanf() does: %s, %d
	 * and %li (the base taken from a 0x or 0 prefix). A read returns null
	 * where sscanf() would stop matching.
	 */
	static final class Cursor {
		final String s;
		int pos;

		Cursor(String s) {
			this.s = s;
		}

		static boolean isSpace(char c) {
			return c == ' ' || c == '\t' || c == '\n' ||
			       c == '\013' || c == '\f' || c == '\r';
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

		boolean at(int i, char c) {
			return i < s.length() && s.charAt(i) == c;
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

		/* base 10 (%d, %ld), or 0 for C's prefixes (%li) */
		Long number(int base) {
			boolean neg = false;
			int d, ndigits = 0;
			long v = 0;

			skipSpace();
			if (at(pos, '-') || at(pos, '+'))
				neg = s.charAt(pos++) == '-';
			if (base == 0) {
				base = 10;
				if (at(pos, '0')) {
					base = 8;
					char x = pos + 1 < s.length() ?
						 s.charAt(pos + 1) : 0;

					if ((x == 'x' || x == 'X') &&
					    pos + 2 < s.length() &&
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

	static void reset() {
		map = null;
		keys = new ThreadLocal<?>[MAX_KEYS];
		exists = new boolean[MAX_KEYS];
		dead = new boolean[MAX_KEYS];
		keyIds = new IdentityHashMap<>();
		entryIds = new IdentityHashMap<>();
	}

	static int needKey(long id, int lineno) throws ScriptError {
		if (id < 0 || id >= MAX_KEYS || !exists[(int)id])
			throw new ScriptError(lineno, "no key " + id);
		if (dead[(int)id])
			throw new ScriptError(lineno, "key " + id +
					      " is dead and cannot be used");
		return (int)id;
	}

	static Object[] table() throws ReflectiveOperationException {
		return (Object[])mapTable.get(map);
	}

	static Object referent(Object entry) {
		return ((Reference<?>)entry).get();
	}

	static void newKey(long id, long hash, int lineno)
		throws ReflectiveOperationException, ScriptError {
		ThreadLocal<Object> k;

		if (id < 0 || id >= MAX_KEYS || exists[(int)id])
			throw new ScriptError(lineno, "bad key");
		k = new ThreadLocal<>();
		keyHash.setInt(k, (int)hash);	/* (u32)hash */
		if (keyHash.getInt(k) != (int)hash)
			throw new ScriptError(lineno,
					      "cannot set threadLocalHashCode");
		keys[(int)id] = k;
		exists[(int)id] = true;
		keyIds.put(k, (int)id);
	}

	static void set(int id, long value)
		throws ReflectiveOperationException {
		if (map == null)
			map = mapNew.newInstance(keys[id], (Object)value);
		else
			mapSet.invoke(map, keys[id], (Object)value);
	}

	/* The collector clears the key's referents: the key is gone. */
	static void kill(int id) throws ReflectiveOperationException {
		ThreadLocal<?> k = keys[id];

		if (map != null)
			for (Object e : table())
				if (e != null && referent(e) == k)
					((Reference<?>)e).clear();
		keyIds.remove(k);
		keys[id] = null;
		dead[id] = true;
	}

	/*
	 * Learn the key of every live entry and forget the entries that have
	 * left the table. A stale entry keeps the id learnt while it was live.
	 */
	static void learnEntries() throws ReflectiveOperationException {
		IdentityHashMap<Object, Integer> ids = new IdentityHashMap<>();
		Object k;

		if (map != null) {
			for (Object e : table()) {
				if (e == null)
					continue;
				k = referent(e);
				if (k != null)
					ids.put(e, keyIds.get(k));
				else if (entryIds.containsKey(e))
					ids.put(e, entryIds.get(e));
			}
		}
		entryIds = ids;
	}

	static void printState(StringBuilder out, int lineno)
		throws ReflectiveOperationException, ScriptError {
		Object[] tab;

		if (map == null) {
			out.append("len=0 size=0 threshold=0 |\n");
			return;
		}
		tab = table();
		out.append("len=").append(tab.length)
		   .append(" size=").append(mapSize.getInt(map))
		   .append(" threshold=").append(mapThreshold.getInt(map))
		   .append(" |");
		for (Object e : tab) {
			Integer id;

			if (e == null) {
				out.append(" .");
				continue;
			}
			id = entryIds.get(e);
			if (id == null)
				throw new ScriptError(lineno,
						      "entry of unknown key");
			out.append(referent(e) == null ? " x" : " k")
			   .append(id).append('=').append(entryValue.get(e));
		}
		out.append('\n');
	}

	static void run(String line, int lineno, StringBuilder out)
		throws ReflectiveOperationException, ScriptError {
		Cursor c = new Cursor(line);
		String op = c.word();
		Long id, arg;

		out.append(line).append(" | ");
		if (op.equals("key") && (id = c.number(10)) != null &&
		    (arg = c.number(0)) != null) {
			newKey(id, arg, lineno);
			out.append('-');
		} else if (op.equals("set") && (id = c.number(10)) != null &&
			   (arg = c.number(10)) != null) {
			set(needKey(id, lineno), arg);
			out.append('-');
		} else if (op.equals("get") && (id = c.number(10)) != null) {
			int i = needKey(id, lineno);
			Object e = null;

			if (map != null)
				e = mapGetEntry.invoke(map, keys[i]);
			if (e != null)
				out.append(entryValue.get(e));
			else
				out.append("none");
		} else if (op.equals("remove") && (id = c.number(10)) != null) {
			int i = needKey(id, lineno);

			if (map != null)
				mapRemove.invoke(map, keys[i]);
			out.append('-');
		} else if (op.equals("kill") && (id = c.number(10)) != null) {
			kill(needKey(id, lineno));
			out.append('-');
		} else if (op.equals("expunge")) {
			if (map != null)
				mapExpungeAll.invoke(map);
			out.append('-');
		} else if (op.equals("reset")) {
			reset();
			out.append('-');
		} else {
			throw new ScriptError(lineno,
					      "cannot parse '" + line + "'");
		}
		learnEntries();
		out.append(" | ");
		printState(out, lineno);
	}

	static boolean blank(String line) {
		for (int i = 0; i < line.length(); i++)
			if (!Cursor.isSpace(line.charAt(i)))
				return false;
		return true;
	}

	static void emit(OutputStream os, StringBuilder out)
		throws IOException {
		os.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
		out.setLength(0);
	}

	public static void main(String[] args) throws Exception {
		OutputStream os = new BufferedOutputStream(
			new FileOutputStream(FileDescriptor.out), 1 << 16);
		StringBuilder out = new StringBuilder();
		int lineno = 0, start = 0, status = 0;
		String text;

		init();
		reset();
		/* Bytes in, bytes out; only '\n' ends a line (fgets()). */
		text = new String(System.in.readAllBytes(),
				  StandardCharsets.ISO_8859_1);
		while (start < text.length() && status == 0) {
			int end = text.indexOf('\n', start);
			String line;

			if (end < 0)
				end = text.length();
			line = text.substring(start, end);
			start = end + 1;
			lineno++;
			if (line.isEmpty() || line.charAt(0) == '#' ||
			    blank(line))
				continue;
			try {
				run(line, lineno, out);
			} catch (ScriptError err) {
				System.err.println(err.getMessage());
				status = 2;
			} catch (InvocationTargetException err) {
				System.err.println("line " + lineno + ": " +
						   err.getCause());
				status = 1;
			}
			if (out.length() >= 1 << 16)
				emit(os, out);
		}
		emit(os, out);
		os.flush();
		System.exit(status);
	}
}
