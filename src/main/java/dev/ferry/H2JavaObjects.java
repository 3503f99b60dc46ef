package dev.ferry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import org.h2.api.JavaObjectSerializer;

/**
 * How the H2 driver turns {@code JAVA_OBJECT} values into Java objects in Ferry's
 * process. A user without H2's admin right (the only kind Ferry logs in as) may still
 * create such a column and fill it with any bytes, and H2 deserializes them when a result
 * set's {@code getObject} reads the value: a plan's SQL could hand Ferry a
 * deserialization gadget. Ferry has H2 use this serializer
 * ({@code h2.javaObjectSerializer}, set before H2 is loaded), which reads only the JDK's
 * value classes and collections; anything else fails the read with {@code REJECTED} in
 * the message. Ferry's other uses of Java serialization (console sessions in the store,
 * the scheduler's task data) are not affected.
 */
public final class H2JavaObjects implements JavaObjectSerializer {

	/** The system property H2 reads its serializer's class name from. */
	static final String PROPERTY = "h2.javaObjectSerializer";

	static final ObjectInputFilter FILTER = ObjectInputFilter.Config
		.createFilter("maxdepth=32;maxrefs=100000;java.lang.*;java.util.*;java.time.*;java.math.*;!*");

	/** Names this class as H2's serializer unless something else was named first. */
	static void install() {
		if (System.getProperty(PROPERTY) == null) {
			System.setProperty(PROPERTY, H2JavaObjects.class.getName());
		}
	}

	@Override
	public byte[] serialize(Object object) throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(object);
		}
		return bytes.toByteArray();
	}

	@Override
	public Object deserialize(byte[] bytes) throws Exception {
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
			in.setObjectInputFilter(FILTER);
			return in.readObject();
		}
	}

}
