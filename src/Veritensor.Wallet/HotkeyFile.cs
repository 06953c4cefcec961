using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Veritensor.Core.Crypto;

namespace Veritensor.Wallet;

/// <summary>
/// A hotkey file, <c>hotkeys/NAME</c>: <c>{ "address": "...", "seed": "64 hex digits" }</c>. Like Bittensor's
/// hotkeys it is not encrypted (a miner or validator must start unattended); it is protected by mode 0600 only.
/// </summary>
internal static class HotkeyFile
{
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    public static byte[] Serialize(KeyPair key)
    {
        var seed = key.ExportSeed();
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(
                new Document { Address = key.Address.ToString(), Seed = Convert.ToHexStringLower(seed) },
                WriteOptions
            );
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The key in a hotkey file; the stored address must match the seed.</summary>
    public static KeyPair Deserialize(ReadOnlySpan<byte> file, string path)
    {
        var document = Parse(file, path);
        if (document.Seed is null || document.Seed.Length != 64 || !document.Seed.All(Uri.IsHexDigit))
            throw Corrupt(path, "\"seed\" must be 64 hex digits");
        var seed = Convert.FromHexString(document.Seed);
        try
        {
            var key = KeyPair.FromSeed(seed);
            if (key.Address != ParseAddress(document, path))
            {
                key.Dispose();
                throw Corrupt(path, "the seed does not match the address in the file");
            }
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The address in a hotkey file, without using the seed.</summary>
    public static Address ReadAddress(ReadOnlySpan<byte> file, string path) => ParseAddress(Parse(file, path), path);

    private static Document Parse(ReadOnlySpan<byte> file, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<Document>(file)
                ?? throw Corrupt(path, "the file holds JSON null instead of a hotkey");
        }
        catch (JsonException e)
        {
            throw new WalletException(
                WalletErrorKind.CorruptFile,
                $"corrupt hotkey file {path}: not valid hotkey JSON ({e.Message})",
                e
            );
        }
    }

    private static Address ParseAddress(Document document, string path) =>
        Address.TryParse(document.Address, out var address, out var error)
            ? address
            : throw Corrupt(path, $"bad \"address\": {error}");

    private static WalletException Corrupt(string path, string detail) =>
        new(WalletErrorKind.CorruptFile, $"corrupt hotkey file {path}: {detail}");

    private sealed class Document
    {
        [JsonPropertyName("address")]
        public string? Address { get; set; }

        [JsonPropertyName("seed")]
        public string? Seed { get; set; }
    }
}
