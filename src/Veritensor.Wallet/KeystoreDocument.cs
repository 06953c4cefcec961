using System.Text.Json.Serialization;

namespace Veritensor.Wallet;

/// <summary>The JSON shape of a coldkey keystore file (see <see cref="ColdkeyKeystore"/>).</summary>
internal sealed class KeystoreDocument
{
    [JsonPropertyName("version")]
    public int? Version { get; set; }

    [JsonPropertyName("kdf")]
    public KdfDocument? Kdf { get; set; }

    [JsonPropertyName("cipher")]
    public string? Cipher { get; set; }

    [JsonPropertyName("nonce")]
    public string? Nonce { get; set; }

    [JsonPropertyName("ciphertext")]
    public string? Ciphertext { get; set; }

    [JsonPropertyName("check")]
    public string? Check { get; set; }

    [JsonPropertyName("address")]
    public string? Address { get; set; }

    internal sealed class KdfDocument
    {
        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("memoryKiB")]
        public long? MemoryKiB { get; set; }

        [JsonPropertyName("passes")]
        public long? Passes { get; set; }

        [JsonPropertyName("salt")]
        public string? Salt { get; set; }
    }
}
