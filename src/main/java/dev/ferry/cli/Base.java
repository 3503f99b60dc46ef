package dev.ferry.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;

/** A command: the common options, and where it writes. */
abstract class Base implements Callable<Integer>, Common.Aware {

	@Mixin
	Common common;

	Out out;

	@Override
	public void out(Out out) {
		this.out = out;
	}

	Api api() {
		return this.common.api();
	}

	boolean json() {
		return this.common.json;
	}

	/**
	 * A result in words: on standard output, or on standard error when it prints JSON.
	 */
	void say(String text) {
		if (json()) {
			this.out.note(text);
		}
		else {
			this.out.line(text);
		}
	}

	static String plural(long count, String one, String many) {
		return String.format(java.util.Locale.ROOT, "%,d %s", count, count == 1 ? one : many);
	}

}
