using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Blobs;

namespace Veritensor.Inference.Tests;

[NetworkTest]
public sealed class BlobTests : IAsyncLifetime
{
    private static readonly byte[] Good = Enumerable.Range(0, 5000).Select(i => unchecked((byte)(i * 7))).ToArray();
    private static readonly Hash256 GoodId = Hash256.Compute(Good);
    private static readonly Hash256 TamperedId = Hash256.Compute("the real content"u8);
    private static readonly Hash256 OversizedId = Hash256.Compute("oversized"u8);
    private static readonly Hash256 LyingLengthId = Hash256.Compute("lying"u8);
    private static readonly Hash256 TruncatedId = Hash256.Compute(Good.AsSpan(0, 4000));

    private readonly TestDirectory _directory = new();
    private WebApplication? _peer;
    private Uri _peerUri = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _peer = builder.Build();
        _peer.MapGet("/v1/blobs/{hex}", async (string hex, HttpContext http) =>
        {
            var id = Hash256.Parse(hex);
            if (id == GoodId)
            {
                await http.Response.Body.WriteAsync(Good);
            }
            else if (id == TamperedId)
            {
                await http.Response.Body.WriteAsync("other content"u8.ToArray());
            }
            else if (id == OversizedId)
            {
                // No Content-Length (chunked): the limit must be enforced on the bytes as they arrive.
                for (var i = 0; i < 10; i++)
                    await http.Response.Body.WriteAsync(Good);
            }
            else if (id == LyingLengthId)
            {
                // Announces a body far over the limit and keeps sending until the client hangs up.
                http.Response.ContentLength = 1_000_000_000;
                try
                {
                    for (var i = 0; i < 100_000 && !http.RequestAborted.IsCancellationRequested; i++)
                        await http.Response.Body.WriteAsync(Good, http.RequestAborted);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    // The client refused the body: expected.
                }
            }
            else if (id == TruncatedId)
            {
                // Announces the whole file, sends part of it, then drops the connection.
                http.Response.ContentLength = 4000;
                await http.Response.Body.WriteAsync(Good.AsMemory(0, 2000));
                await http.Response.Body.FlushAsync();
                http.Abort();
            }
            else
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
            }
        });
        await _peer.StartAsync();
        var address = _peer
            .Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        _peerUri = new Uri(address + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_peer is not null)
            await _peer.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Store_names_blobs_by_their_hash_and_reads_them_back()
    {
        var store = new BlobStore(_directory.Path);
        var id = await store.PutAsync(new MemoryStream(Good), 10_000, TestContext.Current.CancellationToken);
        Assert.Equal(GoodId, id);
        Assert.True(store.Contains(id));
        Assert.Equal(Path.Combine(_directory.Path, id.ToString()[..2], id.ToString()), store.GetPath(id));
        Assert.Equal(Good, store.ReadAllBytes(id));
        await using (var stream = store.OpenRead(id))
            Assert.Equal(Good.Length, stream.Length);
        Assert.Equal(id, store.Put(Good)); // same content again: same blob
        Assert.Throws<BlobException>(() => store.ReadAllBytes(TamperedId));
    }

    [Fact]
    public async Task Store_refuses_blobs_over_the_limit_and_leaves_nothing_behind()
    {
        var store = new BlobStore(_directory.Path);
        var e = await Assert.ThrowsAsync<BlobException>(() =>
            store.PutAsync(new MemoryStream(Good), 4999, TestContext.Current.CancellationToken)
        );
        Assert.Contains("larger than the limit of 4999 bytes", e.Message);
        Assert.False(store.Contains(GoodId));
        Assert.Empty(Directory.GetFiles(_directory.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Fetcher_stores_a_good_blob()
    {
        var store = new BlobStore(_directory.Path);
        using var http = new HttpClient();
        var path = await new BlobFetcher(http).FetchAsync(
            _peerUri,
            GoodId,
            store,
            10_000,
            TestContext.Current.CancellationToken
        );
        Assert.Equal(Good, File.ReadAllBytes(path));
        Assert.True(store.Contains(GoodId));
    }

    [Fact]
    public async Task Fetcher_refuses_tampered_oversized_truncated_and_missing_blobs()
    {
        var store = new BlobStore(_directory.Path);
        using var http = new HttpClient();
        var fetcher = new BlobFetcher(http);
        var ct = TestContext.Current.CancellationToken;

        var tampered = await Assert.ThrowsAsync<BlobException>(() =>
            fetcher.FetchAsync(_peerUri, TamperedId, store, 10_000, ct)
        );
        Assert.Contains($"not to the requested {TamperedId}", tampered.Message);

        var oversized = await Assert.ThrowsAsync<BlobException>(() =>
            fetcher.FetchAsync(_peerUri, OversizedId, store, 10_000, ct)
        );
        Assert.Contains("larger than the limit of 10000 bytes", oversized.Message);

        var announced = await Assert.ThrowsAsync<BlobException>(() =>
            fetcher.FetchAsync(_peerUri, LyingLengthId, store, 10_000, ct)
        );
        Assert.True(announced.Message.Contains("larger than the limit", StringComparison.Ordinal), announced.Message);

        await Assert.ThrowsAsync<BlobException>(() => fetcher.FetchAsync(_peerUri, TruncatedId, store, 10_000, ct));

        var missing = await Assert.ThrowsAsync<BlobException>(() =>
            fetcher.FetchAsync(_peerUri, Hash256.Compute([9]), store, 10_000, ct)
        );
        Assert.Contains("answered 404", missing.Message);

        Assert.Empty(Directory.GetFiles(_directory.Path, "*", SearchOption.AllDirectories));
    }
}
