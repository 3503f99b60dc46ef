package dev.ferry.retention;

import java.util.List;

/**
 * What a list of storage adds up to.
 *
 * @param items how many
 * @param changeRows change rows of change sets
 * @param mappingItems items of mapping dry runs
 * @param undoImages before-images of applies
 * @param tableRows table rows in all, in the store and the targets
 * @param fileBytes bytes of report files
 */
public record StorageTotals(long items, long changeRows, long mappingItems, long undoImages, long tableRows,
		long fileBytes) {

	public static StorageTotals of(List<StorageItem> items) {
		long change = 0;
		long mapping = 0;
		long undo = 0;
		long table = 0;
		long files = 0;
		for (StorageItem item : items) {
			switch (item.kind()) {
				case CHANGE_SET -> change += item.rows();
				case MAPPING_ITEMS -> mapping += item.rows();
				case UNDO_IMAGES -> undo += item.rows();
			}
			table += item.tableRows();
			files += item.fileBytes();
		}
		return new StorageTotals(items.size(), change, mapping, undo, table, files);
	}

}
