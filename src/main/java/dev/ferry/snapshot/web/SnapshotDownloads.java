package dev.ferry.snapshot.web;

import java.nio.file.Path;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A snapshot's file as a download, for the page and the API alike. */
final class SnapshotDownloads {

	private SnapshotDownloads() {
	}

	static ResponseEntity<Resource> of(long runId, Path file) {
		String name = file.getFileName().toString();
		MediaType type = name.endsWith(".gz") ? MediaType.parseMediaType("application/gzip") : name.endsWith(".sqlite")
				? MediaType.parseMediaType("application/vnd.sqlite3") : MediaType.APPLICATION_OCTET_STREAM;
		return ResponseEntity.ok()
			.contentType(type)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("snapshot-" + runId + "-" + name).build().toString())
			.body(new FileSystemResource(file));
	}

}
