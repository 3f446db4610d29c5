"""Password-hash vectors made with tools independent of our TypeScript code.

    python hash_vectors.py generate [--seed N]   fresh vectors for every algorithm of
                                                 shared/spec/password-hashes.md, as JSON on stdout
    python hash_vectors.py check FILE            this file's own verifiers run over a vector file
                                                 (hash-vectors.json): JSON results on stdout

Tools: pyca `bcrypt`, `argon2-cffi` (libargon2), `hashlib` (md5, sha*, sha3*, scrypt over
OpenSSL) and pyca `cryptography` (AES-256-CTR, which the standard library lacks). PHPass portable
hashes and Firebase's modified scrypt are written here from their published algorithms
(Openwall phpass 0.3 `crypt_private`/`encode64`; Firebase's scrypt README: scrypt the password
with salt ‖ separator, then AES-256-CTR-encrypt the signer key under the first 32 bytes), not
from our TypeScript. Passwords, salts and parameters come from a seeded PRNG (bcrypt salts too,
so a seed replays a run), printed in the output.

Each generated vector: {id, algorithm, password, wrongPassword, hash, hashOptions, expected,
note}. `expected` is what password-hashes.md says a verifier must answer for `password`
(argon2d, for one, must be refused); `wrongPassword` must never verify.
"""

import base64
import hashlib
import importlib.metadata
import json
import random
import ssl
import sys

import bcrypt
from argon2 import low_level
from argon2.exceptions import VerificationError, InvalidHashError
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
BCRYPT64 = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
STD64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
# hashOptions.version (as Appwrite takes it) -> hashlib name
SHA_VERSIONS = {
    "sha1": "sha1", "sha224": "sha224", "sha256": "sha256", "sha384": "sha384",
    "sha512/224": "sha512_224", "sha512/256": "sha512_256", "sha512": "sha512",
    "sha3-224": "sha3_224", "sha3-256": "sha3_256", "sha3-384": "sha3_384", "sha3-512": "sha3_512",
}
FIREBASE_N, FIREBASE_R, FIREBASE_P, FIREBASE_LEN = 16384, 8, 1, 64
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#%&()*+,-./:;<=>?@[]^_{|}~'\"\\"
NON_ASCII = "éßøñüçЖж日本語€😀"


# --- the algorithms ---------------------------------------------------------------------------

def phpass_encode64(raw: bytes) -> str:
    """phpass encode64: little-endian groups of three bytes, six bits at a time."""
    out, i, count = [], 0, len(raw)
    while i < count:
        value = raw[i]
        i += 1
        out.append(ITOA64[value & 0x3F])
        if i < count:
            value |= raw[i] << 8
        out.append(ITOA64[(value >> 6) & 0x3F])
        if i >= count:
            break
        i += 1
        if i < count:
            value |= raw[i] << 16
        out.append(ITOA64[(value >> 12) & 0x3F])
        if i >= count:
            break
        i += 1
        out.append(ITOA64[(value >> 18) & 0x3F])
    return "".join(out)


def phpass_portable(password: bytes, setting: str) -> str | None:
    """crypt_private: None where phpass itself gives up ('*0'), e.g. a count outside 7..30."""
    if setting[:3] not in ("$P$", "$H$"):
        return None
    count_log2 = ITOA64.find(setting[3]) if len(setting) > 3 else -1
    if count_log2 < 7 or count_log2 > 30:
        return None
    salt = setting[4:12]
    if len(salt) != 8:
        return None
    digest = hashlib.md5(salt.encode() + password).digest()
    for _ in range(1 << count_log2):
        digest = hashlib.md5(digest + password).digest()
    return setting[:12] + phpass_encode64(digest)


def firebase_scrypt(password: bytes, salt_b64: str, separator_b64: str, signer_key_b64: str) -> str:
    derived = hashlib.scrypt(password, salt=base64.b64decode(salt_b64) + base64.b64decode(separator_b64),
                             n=FIREBASE_N, r=FIREBASE_R, p=FIREBASE_P, dklen=FIREBASE_LEN, maxmem=256 * 1024 * 1024)
    encryptor = Cipher(algorithms.AES(derived[:32]), modes.CTR(b"\0" * 16)).encryptor()
    return base64.b64encode(encryptor.update(base64.b64decode(signer_key_b64)) + encryptor.finalize()).decode()


def utf8_encode(password: str) -> bytes:
    """PHP utf8_encode of the UTF-8 bytes: each byte taken as a Latin-1 character."""
    return password.encode("utf-8").decode("latin-1").encode("utf-8")


def bcrypt_salt(rng: random.Random, prefix: str, cost: int) -> bytes:
    raw = bytes(rng.getrandbits(8) for _ in range(16))
    encoded = base64.b64encode(raw).decode().rstrip("=").translate(str.maketrans(STD64, BCRYPT64))
    return f"${prefix}${cost:02d}${encoded}".encode()


# --- verification as password-hashes.md §3 describes it (for `check`) --------------------------

def verify_bcrypt(password: bytes, stored: str) -> bool:
    if stored[:4] not in ("$2a$", "$2b$", "$2y$", "$2x$"):
        return False
    try:
        return bcrypt.checkpw(password[:72], stored.encode())
    except ValueError:
        return False


def verify(algorithm: str, password_text: str, stored: str, options: dict) -> bool:
    password = password_text.encode("utf-8")
    if algorithm == "argon2":
        if stored.startswith(("$argon2i$", "$argon2id$")):
            kind = low_level.Type.ID if stored.startswith("$argon2id$") else low_level.Type.I
            try:
                return low_level.verify_secret(stored.encode(), password, kind)
            except (VerificationError, InvalidHashError):
                return False
        return verify_bcrypt(password, stored)
    if algorithm == "bcrypt":
        return verify_bcrypt(password, stored)
    if algorithm == "md5":
        return hashlib.md5(password).hexdigest() == stored
    if algorithm == "sha":
        name = SHA_VERSIONS.get(str(options.get("version", "sha3-512")).lower())
        return name is not None and hashlib.new(name, password).hexdigest() == stored
    if algorithm == "phpass":
        portable = phpass_portable(password, stored)
        return portable == stored if portable is not None else verify_bcrypt(password, stored)
    if algorithm == "scrypt":
        try:
            return hashlib.scrypt(password, salt=str(options["salt"]).encode(), n=int(options["costCpu"]), r=int(options["costMemory"]),
                                  p=int(options["costParallel"]), dklen=int(options["length"]), maxmem=1 << 30).hex() == stored
        except (ValueError, KeyError, OverflowError, MemoryError):
            return False
    if algorithm == "scryptMod":
        args = (options["salt"], options["saltSeparator"], options["signerKey"])
        if firebase_scrypt(password, *args) == stored:
            return True
        return not password_text.isascii() and firebase_scrypt(utf8_encode(password_text), *args) == stored
    return False


# --- generation -------------------------------------------------------------------------------

class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.vectors: list[dict] = []

    def text(self, low: int, high: int, non_ascii: bool = True) -> str:
        chars = ALPHABET + (NON_ASCII if non_ascii else "")
        return "".join(self.rng.choice(chars) for _ in range(self.rng.randint(low, high)))

    def password(self, non_ascii: bool = True, max_bytes: int = 200) -> str:
        while True:
            candidate = self.text(8, 40, non_ascii)
            if len(candidate.encode()) <= max_bytes:
                return candidate

    def wrong(self, password: str) -> str:
        # Change the first character: within bcrypt's 72 bytes, and never the same text.
        first = self.rng.choice([c for c in ALPHABET if c != password[0]])
        return first + password[1:]

    def b64(self, low: int, high: int) -> str:
        return base64.b64encode(bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(low, high)))).decode()

    def add(self, algorithm: str, password: str, stored: str, options: dict, expected: bool = True, note: str = "", wrong: str | None = None):
        vector_id = f"py-{algorithm}-{len([v for v in self.vectors if v['algorithm'] == algorithm]) + 1:02d}"
        self.vectors.append({"id": vector_id, "algorithm": algorithm, "password": password, "wrongPassword": wrong or self.wrong(password),
                             "hash": stored, "hashOptions": options, "expected": expected, "note": note})

    def argon2(self):
        kinds = [("argon2i", low_level.Type.I, True), ("argon2id", low_level.Type.ID, True), ("argon2d", low_level.Type.D, False)]
        for name, kind, expected in kinds:
            for version in (0x13, 0x10):
                pw = self.password()
                p = self.rng.randint(1, 4)
                m = self.rng.randint(8 * p, 2048)
                t = self.rng.randint(1, 4)
                encoded = low_level.hash_secret(pw.encode(), bytes(self.rng.getrandbits(8) for _ in range(self.rng.randint(8, 32))),
                                                time_cost=t, memory_cost=m, parallelism=p, hash_len=self.rng.randint(16, 64), type=kind, version=version).decode()
                note = f"{name} v={version}, m={m},t={t},p={p}" + ("" if expected else ": PHP has no argon2d verifier, Appwrite refuses it")
                self.add("argon2", pw, encoded, {"type": "argon2"}, expected, note)
        pw = self.password()
        default = low_level.hash_secret(pw.encode(), bytes(self.rng.getrandbits(8) for _ in range(16)), time_cost=4, memory_cost=65536,
                                        parallelism=3, hash_len=32, type=low_level.Type.ID, version=0x13).decode()
        self.add("argon2", pw, default, {"type": "argon2", "memoryCost": 2048, "timeCost": 4, "threads": 3}, True, "Appwrite's default: argon2id m=65536,t=4,p=3")
        pw = self.password(max_bytes=72)
        self.add("argon2", pw, bcrypt.hashpw(pw.encode(), bcrypt_salt(self.rng, "2y", 4)).decode(), {"type": "argon2"}, True, "a bcrypt string stored as argon2 (password_verify accepts it)")

    def bcrypt(self):
        for prefix in ("2a", "2b", "2y"):
            for _ in range(2):
                pw = self.password(max_bytes=72)
                cost = self.rng.randint(4, 6)
                # pyca bcrypt hashes $2y$ (PHP's name for the fixed algorithm) exactly as $2b$.
                stored = bcrypt.hashpw(pw.encode(), bcrypt_salt(self.rng, prefix, cost)).decode()
                self.add("bcrypt", pw, stored, {"type": "bcrypt"}, True, f"${prefix}$, cost {cost}")

    def md5(self):
        for _ in range(3):
            pw = self.password()
            self.add("md5", pw, hashlib.md5(pw.encode()).hexdigest(), {"type": "md5"})
        pw = self.password()
        self.add("md5", pw, hashlib.md5(pw.encode()).hexdigest().upper(), {"type": "md5"}, False, "upper-case digest never matches")

    def sha(self):
        for version, name in SHA_VERSIONS.items():
            pw = self.password()
            self.add("sha", pw, hashlib.new(name, pw.encode()).hexdigest(), {"version": version, "type": "sha"}, True, version)
        pw = self.password()
        self.add("sha", pw, hashlib.sha3_512(pw.encode()).hexdigest(), {"type": "sha"}, True, "no version: sha3-512")
        pw = self.password()
        self.add("sha", pw, hashlib.sha256(pw.encode()).hexdigest(), {"type": "sha"}, False, "a sha256 digest without version is checked as sha3-512")
        pw = self.password()
        self.add("sha", pw, hashlib.new("sha512_224", pw.encode()).hexdigest(), {"version": "SHA512/224", "type": "sha"}, True, "version is case-insensitive")

    def phpass(self):
        for marker in ("$P$", "$H$"):
            for _ in range(3):
                pw = self.password()
                count = self.rng.randint(7, 12)
                setting = marker + ITOA64[count] + "".join(self.rng.choice(ITOA64) for _ in range(8))
                self.add("phpass", pw, phpass_portable(pw.encode(), setting), {"type": "phpass"}, True, f"{marker}, 2^{count} rounds")
        pw = self.password(max_bytes=72)
        self.add("phpass", pw, bcrypt.hashpw(pw.encode(), bcrypt_salt(self.rng, "2a", 5)).decode(), {"type": "phpass"}, True, "phpass blowfish mode ($2a$): bcrypt fallback")
        pw = self.password()
        # A count character below 7: phpass refuses the setting, so even the right password fails.
        setting = "$P$" + ITOA64[6] + "".join(self.rng.choice(ITOA64) for _ in range(8))
        digest = hashlib.md5(setting[4:12].encode() + pw.encode()).digest()
        for _ in range(64):
            digest = hashlib.md5(digest + pw.encode()).digest()
        self.add("phpass", pw, setting + phpass_encode64(digest), {"type": "phpass"}, False, "count 2^6 is out of range")

    def scrypt(self):
        for _ in range(5):
            pw = self.password()
            salt = self.text(4, 24)
            n, r, p, length = 1 << self.rng.randint(1, 10), self.rng.randint(1, 8), self.rng.randint(1, 3), self.rng.randint(16, 64)
            stored = hashlib.scrypt(pw.encode(), salt=salt.encode(), n=n, r=r, p=p, dklen=length, maxmem=1 << 28).hex()
            options = {"salt": salt, "costCpu": n, "costMemory": r, "costParallel": p, "length": length, "type": "scrypt"}
            self.add("scrypt", pw, stored, options, True, f"N={n},r={r},p={p},len={length}")

    def scrypt_modified(self):
        for index in range(4):
            pw = self.password(non_ascii=index >= 2)
            options = {"signerKey": self.b64(64, 64), "saltSeparator": self.b64(1, 2), "salt": self.b64(12, 16), "type": "scryptMod"}
            stored = firebase_scrypt(pw.encode(), options["salt"], options["saltSeparator"], options["signerKey"])
            self.add("scryptMod", pw, stored, options, True, "as Firebase computes it (raw UTF-8 bytes)")
        pw = self.password(non_ascii=False) + "é"
        options = {"signerKey": self.b64(64, 64), "saltSeparator": self.b64(1, 1), "salt": self.b64(16, 16), "type": "scryptMod"}
        stored = firebase_scrypt(utf8_encode(pw), options["salt"], options["saltSeparator"], options["signerKey"])
        self.add("scryptMod", pw, stored, options, True, "as Appwrite computes it (utf8_encode of a non-ASCII password)")

    def run(self) -> list[dict]:
        for step in (self.argon2, self.bcrypt, self.md5, self.sha, self.phpass, self.scrypt, self.scrypt_modified):
            step()
        return self.vectors


def tools() -> dict:
    versions = {name: importlib.metadata.version(name) for name in ("bcrypt", "argon2-cffi", "cryptography")}
    return {"python": sys.version.split()[0], "openssl": ssl.OPENSSL_VERSION, **versions}


def main(argv: list[str]) -> int:
    if len(argv) >= 1 and argv[0] == "generate":
        seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else random.SystemRandom().randrange(2**32)
        vectors = Generator(seed).run()
        # Every vector must agree with this file's own verifiers too, or the generator is wrong.
        disagree = [v["id"] for v in vectors if verify(v["algorithm"], v["password"], v["hash"], v["hashOptions"]) != v["expected"]
                    or verify(v["algorithm"], v["wrongPassword"], v["hash"], v["hashOptions"])]
        if disagree:
            print(f"generated vectors disagree with the Python verifiers (seed {seed}): {disagree}", file=sys.stderr)
            return 1
        json.dump({"seed": seed, "tools": tools(), "vectors": vectors}, sys.stdout, ensure_ascii=False)
        return 0
    if len(argv) == 2 and argv[0] == "check":
        with open(argv[1], encoding="utf-8") as f:
            vectors = json.load(f)["vectors"]
        results = [{"id": v["id"], "expected": v["expected"], "python": verify(v["algorithm"], v["password"], v["hash"], v["hashOptions"])} for v in vectors]
        json.dump({"tools": tools(), "results": results}, sys.stdout)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
