using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Blobs;
using Veritensor.Ledger.Inference;

namespace Veritensor.Node.Tests;

/// <summary>
/// The review's disk-filling attack: unauthenticated uploads without quota filled a validator's disk until it could not
/// commit. An upload now needs a funded account's signed intent, stays within an hourly quota, and leaves free space.
/// </summary>
[NetworkTest]
public sealed class BlobUploadTests : IAsyncLifetime
{
    private const long Quota = 4096;
    private TestNode _node = null!;

    public async ValueTask InitializeAsync() =>
        _node = await TestNode.StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["Node:MaxBlobBytes"] = "2048",
                ["Node:MaxUploadBytesPerHour"] = Quota.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // The test runs the sweep itself, with no grace: every unreferenced blob is old enough.
                ["Node:UnreferencedBlobGraceSeconds"] = "0",
                ["Node:BlobSweepIntervalSeconds"] = "0",
            }
        );

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private static byte[] Blob(int size, byte fill) => Enumerable.Repeat(fill, size).ToArray();

    [Fact]
    public async Task Strangers_forged_and_mismatched_uploads_are_refused_before_anything_is_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        var chainId = (await _node.Client.GetStatusAsync(ct)).ChainId;
        var blobs = _node.Services.GetRequiredService<BlobStore>();
        var bytes = Blob(1000, 7);
        var id = Hash256.Compute(bytes);
        using var alice = _node.Coldkey("alice");
        using var stranger = KeyPair.Generate();

        // No intent at all: the review's upload.
        await ExpectAsync(bytes, null, 401, "Unauthorized", ct);
        // A signed intent from an account that holds nothing.
        await ExpectAsync(bytes, Intent(stranger, chainId, id, bytes.Length), 402, "InsufficientBalance", ct);
        // Alice's signature for another size.
        await ExpectAsync(bytes, Intent(alice, chainId, id, bytes.Length + 1), 401, "Unauthorized", ct);
        // Alice's signature for another chain.
        await ExpectAsync(bytes, Intent(alice, "other-chain", id, bytes.Length), 401, "Unauthorized", ct);
        // A body that is not the signed blob.
        var other = Blob(1000, 8);
        await ExpectAsync(other, Intent(alice, chainId, id, other.Length), 400, "BadRequest", ct);
        Assert.False(blobs.Contains(id));
        Assert.False(blobs.Contains(Hash256.Compute(other)));

        // The honest path: the SDK-side client signs the intent.
        var stored = await _node.Client.UploadBlobAsync(bytes, alice, chainId, ct);
        Assert.Equal(id.ToString(), stored.Id);
        Assert.True(blobs.Contains(id));
    }

    [Fact]
    public async Task The_sweep_gives_back_the_disk_of_uploads_no_published_model_references()
    {
        var ct = TestContext.Current.CancellationToken;
        var chainId = (await _node.Client.GetStatusAsync(ct)).ChainId;
        var blobs = _node.Services.GetRequiredService<BlobStore>();
        using var alice = _node.Coldkey("alice");
        var published = Hash256.Parse((await _node.Client.UploadBlobAsync(Blob(1500, 41), alice, chainId, ct)).Id);
        var abandoned = Hash256.Parse((await _node.Client.UploadBlobAsync(Blob(1200, 42), alice, chainId, ct)).Id);
        var signature = new Tensors.ModelSignature(
            [new Tensors.TensorSpec("x", Tensors.TensorElementType.Float, [1, 2])],
            [new Tensors.TensorSpec("y", Tensors.TensorElementType.Float, [1, 2])]
        );
        var publish = new Ledger.Transactions.Transaction(
            chainId,
            _node.GenesisHash,
            alice.Address,
            0,
            Core.Amount.ParseTokens("0.001"),
            new Ledger.Transactions.PublishModelPayload(
                "swept",
                "1.0",
                published,
                1500,
                signature,
                Core.Amount.FromTokens(1),
                Tensors.VerificationTolerance.Default
            )
        ).Sign(alice);
        await _node.Client.SubmitAsync(publish, ct);
        await _node.Client.ProduceBlockAsync(ct);
        Assert.Equal(published.ToString(), (await _node.Client.GetModelAsync(published, ct)).ContentId);

        var removed = _node.Services.GetRequiredService<Hosting.BlobCollector>().Sweep();

        Assert.Equal((1, 1200L), removed);
        Assert.False(blobs.Contains(abandoned));
        Assert.True(blobs.Contains(published));
    }

    [Fact]
    public async Task An_account_past_its_hourly_quota_is_refused_and_another_account_is_not()
    {
        var ct = TestContext.Current.CancellationToken;
        var chainId = (await _node.Client.GetStatusAsync(ct)).ChainId;
        using var alice = _node.Coldkey("alice");
        using var bob = _node.Coldkey("bob");
        for (byte i = 0; i < Quota / 2048; i++)
            await _node.Client.UploadBlobAsync(Blob(2048, (byte)(10 + i)), alice, chainId, ct);
        var over = Blob(1024, 99);
        var e = await Assert.ThrowsAsync<NodeClientException>(() =>
            _node.Client.UploadBlobAsync(over, alice, chainId, ct)
        );
        Assert.Equal(("TooManyPending", 429), (e.Code, e.StatusCode));
        Assert.Contains("for this hour", e.Message, StringComparison.Ordinal);
        var stored = await _node.Client.UploadBlobAsync(over, bob, chainId, ct);
        Assert.Equal(Hash256.Compute(over).ToString(), stored.Id);
    }

    private static (string Uploader, string ContentId, string Signature) Intent(
        KeyPair uploader,
        string chainId,
        Hash256 id,
        long size
    ) =>
        (
            uploader.Address.ToString(),
            id.ToString(),
            Convert.ToBase64String(BlobUploadIntent.Sign(chainId, id, size, uploader).Span)
        );

    private async Task ExpectAsync(
        byte[] body,
        (string Uploader, string ContentId, string Signature)? intent,
        int status,
        string code,
        CancellationToken ct
    )
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (intent is { } i)
        {
            content.Headers.Add(BlobUploadIntent.UploaderHeader, i.Uploader);
            content.Headers.Add(BlobUploadIntent.ContentIdHeader, i.ContentId);
            content.Headers.Add(BlobUploadIntent.SignatureHeader, i.Signature);
        }
        using var response = await http.PostAsync(new Uri(new Uri(_node.Url + "/"), "v1/blobs"), content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
    }
}
