"""Run IDs and human-readable run names."""

import secrets

ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
ID_LENGTH = 8

ADJECTIVES = (
    "amber", "ancient", "autumn", "bold", "brave", "bright", "calm", "celestial",
    "clever", "cosmic", "crimson", "curious", "dainty", "dashing", "dazzling", "divine",
    "dry", "eager", "earnest", "electric", "exalted", "fancy", "fearless", "fiery",
    "fine", "fluent", "fragrant", "gentle", "giddy", "glorious", "golden", "graceful",
    "hardy", "honest", "icy", "jolly", "kind", "legendary", "lively", "lucky",
    "lunar", "misty", "noble", "northern", "olive", "peach", "polished", "proud",
    "quiet", "radiant", "rose", "royal", "rural", "sandy", "silver", "snowy",
    "solar", "stellar", "sunny", "swift", "twilight", "vivid", "wandering", "wise",
)

NOUNS = (
    "aurora", "bird", "blaze", "bloom", "breeze", "brook", "butterfly", "cherry",
    "cloud", "comet", "dawn", "darkness", "dew", "dream", "dust", "eon",
    "feather", "field", "fire", "firefly", "flower", "fog", "forest", "frost",
    "galaxy", "glade", "glitter", "grass", "haze", "hill", "lake", "leaf",
    "meadow", "moon", "morning", "mountain", "night", "oasis", "ocean", "paper",
    "pine", "planet", "plasma", "pond", "rain", "resonance", "river", "sea",
    "shadow", "sky", "smoke", "snow", "sound", "spaceship", "star", "sun",
    "sunset", "surf", "thunder", "tree", "universe", "violet", "voice", "wave",
)


def generate_id():
    """8 random characters of [a-z0-9], from a cryptographic source."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def generate_name(sequence):
    """`adjective-noun-N`, N being the run's sequence number in its project."""
    return "%s-%s-%d" % (secrets.choice(ADJECTIVES), secrets.choice(NOUNS), sequence)
