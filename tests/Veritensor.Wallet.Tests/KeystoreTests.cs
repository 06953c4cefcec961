using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veritensor.Core.Crypto;

namespace Veritensor.Wallet.Tests;

[UnitTest]
public sealed class KeystoreTests
{
    private const string Path = "/wallets/alice/coldkey";
    private static readonly byte[] Seed = Convert.FromHexString(
        "5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc1"
    );

    private static byte[] Sealed(string password = "correct horse") =>
        ColdkeyKeystore.Seal(Seed, password, TestKdf.Cheap);

    private static JsonObject Json(byte[] file) => JsonNode.Parse(file)!.AsObject();

    private static byte[] Bytes(JsonObject json) => Encoding.UTF8.GetBytes(json.ToJsonString());

    [Fact]
    public void Seal_then_open_returns_the_seed()
    {
        var file = Sealed();
        Assert.Equal(Seed, ColdkeyKeystore.Open(file, "correct horse", "alice", Path));
    }

    [Fact]
    public void The_file_has_the_documented_shape_and_records_the_kdf_parameters()
    {
        using var key = KeyPair.FromSeed(Seed);
        var json = Json(ColdkeyKeystore.Seal(Seed, "pw", new KdfParameters(128, 2)));
        Assert.Equal(1, (int)json["version"]!);
        Assert.Equal("argon2id", (string)json["kdf"]!["name"]!);
        Assert.Equal(128, (long)json["kdf"]!["memoryKiB"]!);
        Assert.Equal(2, (long)json["kdf"]!["passes"]!);
        Assert.Equal(32, ((string)json["kdf"]!["salt"]!).Length);
        Assert.Equal("xchacha20poly1305", (string)json["cipher"]!);
        Assert.Equal(48, ((string)json["nonce"]!).Length);
        Assert.Equal(96, ((string)json["ciphertext"]!).Length);
        Assert.Equal(key.Address.ToString(), (string)json["address"]!);
        Assert.Equal(key.Address, ColdkeyKeystore.ReadAddress(Bytes(json), Path));
        Assert.DoesNotContain(Convert.ToHexStringLower(Seed), json.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_seal_uses_a_fresh_salt_and_nonce()
    {
        var first = Json(Sealed());
        var second = Json(Sealed());
        Assert.NotEqual((string)first["kdf"]!["salt"]!, (string)second["kdf"]!["salt"]!);
        Assert.NotEqual((string)first["nonce"]!, (string)second["nonce"]!);
        Assert.NotEqual((string)first["ciphertext"]!, (string)second["ciphertext"]!);
    }

    [Theory]
    [InlineData("correct horsE")]
    [InlineData("")]
    [InlineData("correct horse ")]
    public void A_wrong_password_is_reported_as_such_and_returns_no_key(string password)
    {
        var e = Assert.Throws<WalletException>(() => ColdkeyKeystore.Open(Sealed(), password, "alice", Path));
        Assert.Equal(WalletErrorKind.WrongPassword, e.Kind);
        Assert.Equal("wrong password for coldkey of wallet 'alice'", e.Message);
    }

    [Theory]
    [InlineData("ciphertext", 0)]
    [InlineData("ciphertext", 40)]
    [InlineData("ciphertext", 95)]
    [InlineData("nonce", 10)]
    public void A_flipped_digit_in_the_encrypted_part_is_a_corrupt_file(string field, int index)
    {
        var json = Json(Sealed());
        var hex = ((string)json[field]!).ToCharArray();
        hex[index] = hex[index] == '0' ? '1' : '0';
        json[field] = new string(hex);
        var e = Assert.Throws<WalletException>(() => ColdkeyKeystore.Open(Bytes(json), "correct horse", "alice", Path));
        Assert.Equal(WalletErrorKind.CorruptFile, e.Kind);
        Assert.StartsWith($"corrupt keystore file {Path}: authentication failed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edited_address_fails_authentication_of_the_header()
    {
        var json = Json(Sealed());
        using var other = KeyPair.FromDevelopmentName("mallory");
        json["address"] = other.Address.ToString();
        var e = Assert.Throws<WalletException>(() => ColdkeyKeystore.Open(Bytes(json), "correct horse", "alice", Path));
        Assert.Equal(WalletErrorKind.CorruptFile, e.Kind);
        Assert.Contains("authentication failed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_is_a_corrupt_file()
    {
        var file = Sealed();
        var e = Assert.Throws<WalletException>(() =>
            ColdkeyKeystore.Open(file.AsSpan(0, file.Length / 2), "correct horse", "alice", Path)
        );
        Assert.Equal(WalletErrorKind.CorruptFile, e.Kind);
        Assert.StartsWith(
            $"corrupt keystore file {Path}: not valid keystore JSON",
            e.Message,
            StringComparison.Ordinal
        );
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("null")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"version\":\"one\"}")]
    public void Garbage_is_a_corrupt_file(string text)
    {
        var e = Assert.Throws<WalletException>(() =>
            ColdkeyKeystore.Open(Encoding.UTF8.GetBytes(text), "pw", "alice", Path)
        );
        Assert.Equal(WalletErrorKind.CorruptFile, e.Kind);
        Assert.StartsWith($"corrupt keystore file {Path}: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version", "2", "unsupported keystore version 2")]
    [InlineData("version", null, "\"version\" is missing")]
    [InlineData("cipher", "\"aes-gcm\"", "unsupported cipher 'aes-gcm'")]
    [InlineData("nonce", "\"abcd\"", "\"nonce\" must be 48 hex digits")]
    [InlineData("ciphertext", null, "\"ciphertext\" is missing")]
    [InlineData("check", "\"zz\"", "\"check\" must be 32 hex digits")]
    [InlineData("address", "\"not-an-address\"", "bad \"address\"")]
    public void A_bad_field_is_named_in_the_corrupt_file_error(string field, string? json, string expected)
    {
        var document = Json(Sealed());
        if (json is null)
            document.Remove(field);
        else
            document[field] = JsonNode.Parse(json);
        var e = Assert.Throws<WalletException>(() =>
            ColdkeyKeystore.Open(Bytes(document), "correct horse", "alice", Path)
        );
        Assert.Equal(WalletErrorKind.CorruptFile, e.Kind);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1L << 40, 3L)]
    [InlineData(4L, 3L)]
    [InlineData(65536L, 0L)]
    [InlineData(65536L, 1000L)]
    public void Kdf_parameters_out_of_range_are_refused_before_any_work(long memoryKiB, long passes)
    {
        var document = Json(Sealed());
        document["kdf"]!["memoryKiB"] = memoryKiB;
        document["kdf"]!["passes"] = passes;
        var e = Assert.Throws<WalletException>(() =>
            ColdkeyKeystore.Open(Bytes(document), "correct horse", "alice", Path)
        );
        Assert.Equal(WalletErrorKind.CorruptFile, e.Kind);
        Assert.Contains("kdf parameters out of range", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_password_is_refused_when_sealing()
    {
        var e = Assert.Throws<WalletException>(() => ColdkeyKeystore.Seal(Seed, "", TestKdf.Cheap));
        Assert.Equal(WalletErrorKind.InvalidInput, e.Kind);
    }

    [Fact]
    public void The_file_is_indented_json_that_any_parser_reads()
    {
        var text = Encoding.UTF8.GetString(Sealed());
        using var document = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        Assert.Contains('\n', text);
    }
}
