using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;
using Veritensor.Core.Crypto;

namespace Veritensor.Wallet;

/// <summary>
/// The password-encrypted coldkey file. Argon2id (parameters stored in the file, parallelism 1, 16-byte random salt)
/// turns the password into a 32-byte key; XChaCha20-Poly1305 (24-byte random nonce) encrypts the 32-byte Ed25519
/// seed with the file header as associated data, so editing the version, KDF parameters, salt or address is detected.
/// <code>
/// { "version": 1,
///   "kdf": { "name": "argon2id", "memoryKiB": 65536, "passes": 3, "salt": "hex" },
///   "cipher": "xchacha20poly1305", "nonce": "hex", "ciphertext": "hex (seed + 16-byte tag)",
///   "check": "hex", "address": "..." }
/// </code>
/// <c>check</c> is the first 16 bytes of HMAC-SHA256(derived key, "veritensor-keystore/password-check"). It tells a
/// wrong password apart from a damaged file: a wrong password fails the check, a damaged ciphertext or header passes
/// it and then fails authentication. It gives an attacker nothing new: testing a guess still costs one Argon2id run.
/// </summary>
public static class ColdkeyKeystore
{
    public const int FormatVersion = 1;
    public const string KdfName = "argon2id";
    public const string CipherName = "xchacha20poly1305";
    public const int SaltSize = 16;
    public const int NonceSize = 24;
    public const int TagSize = 16;
    public const int CheckSize = 16;
    private static readonly byte[] CheckDomain = "veritensor-keystore/password-check"u8.ToArray();
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    /// <summary>Encrypts <paramref name="seed"/> under <paramref name="password"/> and returns the keystore file's UTF-8 JSON.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> seed, string password, KdfParameters kdf)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(kdf);
        kdf.EnsureWithinLimits();
        if (seed.Length != KeyPair.SeedSize)
            throw new ArgumentException($"A seed is {KeyPair.SeedSize} bytes, got {seed.Length}.", nameof(seed));
        if (password.Length == 0)
            throw new WalletException(WalletErrorKind.InvalidInput, "the coldkey password must not be empty");

        Address address;
        using (var keyPair = KeyPair.FromSeed(seed))
            address = keyPair.Address;
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var derived = DeriveKey(password, salt, kdf);
        try
        {
            var header = AssociatedData(FormatVersion, kdf, salt, address.ToString());
            using var key = Key.Import(AeadAlgorithm.XChaCha20Poly1305, derived, KeyBlobFormat.RawSymmetricKey);
            var ciphertext = AeadAlgorithm.XChaCha20Poly1305.Encrypt(key, nonce, header, seed);
            var document = new KeystoreDocument
            {
                Version = FormatVersion,
                Kdf = new KeystoreDocument.KdfDocument
                {
                    Name = KdfName,
                    MemoryKiB = kdf.MemoryKiB,
                    Passes = kdf.Passes,
                    Salt = Convert.ToHexStringLower(salt),
                },
                Cipher = CipherName,
                Nonce = Convert.ToHexStringLower(nonce),
                Ciphertext = Convert.ToHexStringLower(ciphertext),
                Check = Convert.ToHexStringLower(PasswordCheck(derived)),
                Address = address.ToString(),
            };
            return JsonSerializer.SerializeToUtf8Bytes(document, WriteOptions);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }
    }

    /// <summary>
    /// Decrypts a keystore and returns the 32-byte seed (the caller zeroes it after use). Throws
    /// <see cref="WalletException"/>: <see cref="WalletErrorKind.WrongPassword"/> ("wrong password for coldkey of
    /// wallet 'NAME'") or <see cref="WalletErrorKind.CorruptFile"/> ("corrupt keystore file PATH: ...").
    /// <paramref name="walletName"/> and <paramref name="path"/> are only used in messages.
    /// </summary>
    public static byte[] Open(ReadOnlySpan<byte> file, string password, string walletName, string path)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parsed = Parse(file, path);
        var derived = DeriveKey(password, parsed.Salt, parsed.Kdf);
        try
        {
            if (!CryptographicOperations.FixedTimeEquals(PasswordCheck(derived), parsed.Check))
                throw new WalletException(
                    WalletErrorKind.WrongPassword,
                    $"wrong password for coldkey of wallet '{walletName}'"
                );
            var header = AssociatedData(parsed.Version, parsed.Kdf, parsed.Salt, parsed.Address.ToString());
            using var key = Key.Import(AeadAlgorithm.XChaCha20Poly1305, derived, KeyBlobFormat.RawSymmetricKey);
            var seed = AeadAlgorithm.XChaCha20Poly1305.Decrypt(key, parsed.Nonce, header, parsed.Ciphertext);
            if (seed is null)
                throw Corrupt(path, "authentication failed: the encrypted key or the file header was altered");
            if (seed.Length != KeyPair.SeedSize)
            {
                CryptographicOperations.ZeroMemory(seed);
                throw Corrupt(path, "the decrypted key has the wrong length");
            }
            using var keyPair = KeyPair.FromSeed(seed);
            if (keyPair.Address != parsed.Address)
            {
                CryptographicOperations.ZeroMemory(seed);
                throw Corrupt(path, "the decrypted key does not match the address in the file");
            }
            return seed;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }
    }

    /// <summary>The address recorded in a keystore file, read without the password (after checking the file's structure).</summary>
    public static Address ReadAddress(ReadOnlySpan<byte> file, string path) => Parse(file, path).Address;

    private sealed record Parsed(
        int Version,
        KdfParameters Kdf,
        byte[] Salt,
        byte[] Nonce,
        byte[] Ciphertext,
        byte[] Check,
        Address Address
    );

    private static Parsed Parse(ReadOnlySpan<byte> file, string path)
    {
        KeystoreDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<KeystoreDocument>(file);
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"not valid keystore JSON ({e.Message})", e);
        }
        if (document is null)
            throw Corrupt(path, "the file holds JSON null instead of a keystore");
        if (document.Version is not { } version)
            throw Corrupt(path, "\"version\" is missing");
        if (version != FormatVersion)
            throw Corrupt(
                path,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"unsupported keystore version {version} (this program reads version {FormatVersion})"
                )
            );
        if (document.Kdf is not { } kdf)
            throw Corrupt(path, "\"kdf\" is missing");
        if (kdf.Name != KdfName)
            throw Corrupt(path, $"unsupported kdf '{kdf.Name}' (expected '{KdfName}')");
        if (kdf.MemoryKiB is not { } memory || kdf.Passes is not { } passes)
            throw Corrupt(path, "\"kdf.memoryKiB\" or \"kdf.passes\" is missing");
        var parameters = new KdfParameters(memory, passes);
        if (!parameters.IsWithinLimits)
            throw Corrupt(
                path,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"kdf parameters out of range (memoryKiB {memory}, passes {passes}; allowed {KdfParameters.MinMemoryKiB}..{KdfParameters.MaxMemoryKiB} KiB, {KdfParameters.MinPasses}..{KdfParameters.MaxPasses} passes)"
                )
            );
        if (document.Cipher != CipherName)
            throw Corrupt(path, $"unsupported cipher '{document.Cipher}' (expected '{CipherName}')");
        var salt = Hex(kdf.Salt, "kdf.salt", SaltSize, path);
        var nonce = Hex(document.Nonce, "nonce", NonceSize, path);
        var ciphertext = Hex(document.Ciphertext, "ciphertext", KeyPair.SeedSize + TagSize, path);
        var check = Hex(document.Check, "check", CheckSize, path);
        if (!Veritensor.Core.Crypto.Address.TryParse(document.Address, out var address, out var error))
            throw Corrupt(path, $"bad \"address\": {error}");
        return new Parsed(version, parameters, salt, nonce, ciphertext, check, address);
    }

    private static byte[] Hex(string? text, string field, int size, string path)
    {
        if (text is null)
            throw Corrupt(path, $"\"{field}\" is missing");
        if (text.Length != size * 2 || !text.All(Uri.IsHexDigit))
            throw Corrupt(
                path,
                string.Create(CultureInfo.InvariantCulture, $"\"{field}\" must be {size * 2} hex digits")
            );
        return Convert.FromHexString(text);
    }

    private static byte[] DeriveKey(string password, byte[] salt, KdfParameters kdf)
    {
        var argon2 = PasswordBasedKeyDerivationAlgorithm.Argon2id(
            new Argon2Parameters
            {
                MemorySize = kdf.MemoryKiB,
                NumberOfPasses = kdf.Passes,
                DegreeOfParallelism = 1,
            }
        );
        return argon2.DeriveBytes(password, salt, AeadAlgorithm.XChaCha20Poly1305.KeySize);
    }

    private static byte[] PasswordCheck(byte[] derivedKey) => HMACSHA256.HashData(derivedKey, CheckDomain)[..CheckSize];

    /// <summary>The authenticated header: every field except the nonce (an AEAD input anyway), ciphertext and check.</summary>
    private static byte[] AssociatedData(int version, KdfParameters kdf, byte[] salt, string address) =>
        Encoding.UTF8.GetBytes(
            string.Create(
                CultureInfo.InvariantCulture,
                $"veritensor-keystore\nversion={version}\nkdf={KdfName}\nmemoryKiB={kdf.MemoryKiB}\npasses={kdf.Passes}\nparallelism=1\nsalt={Convert.ToHexStringLower(salt)}\ncipher={CipherName}\naddress={address}\n"
            )
        );

    private static WalletException Corrupt(string path, string detail, Exception? inner = null) =>
        inner is null
            ? new WalletException(WalletErrorKind.CorruptFile, $"corrupt keystore file {path}: {detail}")
            : new WalletException(WalletErrorKind.CorruptFile, $"corrupt keystore file {path}: {detail}", inner);
}
