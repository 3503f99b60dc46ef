package dev.ferry.demo.internal;

import java.util.List;

/**
 * The words demo cultivar names and hybridizer codes are built from. Every word is
 * written in title case with single spaces, so a canonical name is exactly the title case
 * of its own lower case, and the accented words decompose under NFD (no ø, æ or ß), so
 * any strip-accents implementation folds them the same way. No word holds an apostrophe:
 * those are kept for the second delivery's new names.
 */
final class Vocabulary {

	static final List<String> ADJECTIVES = List.of("Ruby", "Lavender", "Golden", "Crimson", "Scarlet", "Velvet",
			"Midnight", "Silver", "Amber", "Ivory", "Coral", "Peach", "Plum", "Lemon", "Apricot", "Copper", "Burgundy",
			"Rosy", "Dusky", "Misty", "Sunny", "Frosted", "Painted", "Ruffled", "Wild", "Royal", "Little", "Grand",
			"Sweet", "Bright", "Dancing", "Whispering", "Blazing", "Radiant", "Secret", "Happy", "Gentle", "Southern",
			"Northern", "Ancient", "Electric", "Cosmic", "Summer", "Autumn", "Winter", "Spring", "Raspberry",
			"Strawberry", "Cherry", "Mango", "Cinnamon", "Saffron", "Indigo", "Violet", "Emerald", "Sapphire", "Jade",
			"Cobalt", "Pink", "Purple", "Orange", "Yellow", "Blue", "Black", "White", "Red", "Green", "Smoky", "Starry",
			"Moonlit", "Sunlit", "Enchanted", "Mystic", "Fancy", "Lucky", "Jolly", "Merry", "Dreamy", "Silky", "Satin",
			"Crème", "Rosé", "Café", "Doré", "Première", "Élégant", "Señor", "Über");

	static final List<String> NOUNS = List.of("Spider", "Moon", "Dance", "Dream", "Star", "Sun", "Sky", "Rose", "Lily",
			"Queen", "King", "Prince", "Princess", "Angel", "Butterfly", "Dragon", "Tiger", "Eagle", "Heart", "Kiss",
			"Smile", "Song", "Melody", "Rhapsody", "Symphony", "Waltz", "Tango", "Fire", "Flame", "Ember", "Storm",
			"Rain", "Thunder", "River", "Ocean", "Wave", "Garden", "Meadow", "Valley", "Mountain", "Cloud", "Rainbow",
			"Jewel", "Treasure", "Crown", "Castle", "Tower", "Lantern", "Candle", "Feather", "Ribbon", "Lace", "Silk",
			"Parasol", "Carousel", "Fiesta", "Serenade", "Lullaby", "Whisper", "Echo", "Shadow", "Mirage", "Halo",
			"Comet", "Galaxy", "Orbit", "Petal", "Blossom", "Bouquet", "Sonnet", "Ballad", "Legend", "Charm", "Wonder",
			"Glory", "Splendor", "Brûlée", "Soirée", "Fête", "Château", "Piñata", "Début", "Élan", "Protégé", "Façade");

	static final List<String> TAILS = List.of("Dance", "Dream", "Delight", "Magic", "Song", "Surprise", "Parade",
			"Party", "Promise", "Memories", "Fantasy", "Glow", "Flash", "Express", "Twist", "Swirl", "Ruffles",
			"Kisses", "Sparkle", "Elegance", "Jubilee", "Affair", "Encore", "Finale", "Illusion", "Legacy", "Rhythm",
			"Spirit", "Tapestry", "Treasure", "Velvet", "Wings", "Bells", "Cascade", "Festival", "Harmony", "Journey",
			"Lights", "Mist", "Ballet", "Éclair", "Rêverie");

	static final List<String> SERIES = List.of("Siloam", "Chicago", "Lady", "Lord", "Captain", "Doctor", "Mister",
			"Bayou", "Ozark", "Tuscawilla", "Dorothy", "Emperor");

	/** Hybridizer surnames, canonical form (the import upper-cases them). */
	static final List<String> HYBRIDIZERS = List.of("STOUT", "STAMILE", "PETIT", "SALTER", "HANSEN", "REED",
			"KIRCHHOFF", "MOLDOVAN", "MUNSON", "GATES", "CARR", "HARRIS", "TRIMMER", "JOINER", "GRACE", "HENRY",
			"HARDY", "POLSTON", "ROBERTS", "WILLIAMS", "WILD", "SPALDING", "GUIDRY", "BROWN", "DOUGHERTY", "HUDSON",
			"MORSS", "KING", "LAMBERT", "BELL", "WHATLEY", "SELLERS", "WEDGWOOD", "LENINGTON", "SIKES", "TALBOTT",
			"APPS", "BENZ", "CRAIG", "DAVISSON", "EMMERICH", "FISCHER", "GOSSARD", "HERRINGTON", "HOLLEY", "JOHNSON",
			"KASKEL", "LAMBERTSON", "MAHIEU", "MCRAE", "NORRIS", "OAKES", "PIERCE", "RASMUSSEN", "SCOTT", "SHOOTER",
			"TROUTMAN", "UNDERWOOD", "VAUGHN", "WALTERS", "YANCEY", "ZAMORA", "BACHMAN", "CARPENTER", "DOORAKIAN",
			"ELLIOTT", "FRANCIS", "GRETHEL", "HAGER", "ISLER", "JENKINS", "KENNEDY", "LOVELL", "MARSH", "NEWBOLD",
			"ORR", "PAYNE", "QUINN", "RICE", "SMITH", "TERRY", "VAN HOOK", "WARE", "AUSTIN");

	/**
	 * Spellings of "no hybridizer" that the plan's null-if turns into NULL (or NULL
	 * itself).
	 */
	static final List<String> NO_HYBRIDIZER = List.of("N/A", "n/a", "", " ", "UNKNOWN", "Unknown", " unknown ");

	/** Spellings of true and false the plan's boolean type accepts. */
	static final List<String> YES = List.of("yes", "Yes", "YES", "y", "Y", "true", "True", "TRUE", "1");

	static final List<String> NO = List.of("no", "No", "NO", "n", "N", "false", "False", "FALSE", "0");

	/** Years the plan's integer type cannot parse (the plan's null-if only knows ""). */
	static final List<String> UNPARSEABLE_YEARS = List.of("19x5", "circa 1990", "199O", "c1985", "1990s", "unknown");

	/** Fragrance values the plan's boolean type rejects. */
	static final List<String> UNPARSEABLE_FRAGRANCES = List.of("maybe", "sometimes", "slight", "yes?", "very", "faint");

	/** Owners of the second delivery's new introductions, which makes their names new. */
	static final List<String> OWNERS = List.of("Grandma's", "Aunt Ruth's", "Papa's", "Mary's", "Miss Lily's",
			"Uncle Joe's", "Nana's", "Granddad's", "Cousin Ada's", "Mother's");

	static final List<String> LISTING_SUFFIXES = List.of("", " (DF)", " — 2 fans", " — 3 fans", " — double fan",
			" — bare root", " — potted", " — single fan", " (BR)", " — collector's pick");

	private Vocabulary() {
	}

}
