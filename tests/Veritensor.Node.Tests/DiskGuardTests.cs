using Veritensor.Client;

namespace Veritensor.Node.Tests;

/// <summary>The review's end of the disk-filling attack: a full disk made the producer fail a commit and exit for good.</summary>
[NetworkTest]
public sealed class DiskGuardTests
{
    [Fact]
    public async Task Below_the_free_space_reserve_no_block_is_produced_and_the_node_keeps_serving()
    {
        var ct = TestContext.Current.CancellationToken;
        // A reserve no disk can meet stands in for a full disk.
        await using var node = await TestNode.StartAsync(
            settings: new Dictionary<string, string?> { ["Node:MinFreeDiskBytesForBlocks"] = long.MaxValue.ToString() }
        );
        var before = await node.Client.GetStatusAsync(ct);
        var e = await Assert.ThrowsAsync<NodeClientException>(() => node.Client.ProduceBlockAsync(ct));
        Assert.Equal(("Unavailable", 503), (e.Code, e.StatusCode));
        Assert.Contains("MinFreeDiskBytesForBlocks", e.Message, StringComparison.Ordinal);
        var after = await node.Client.GetStatusAsync(ct);
        Assert.Equal(before.Height, after.Height);
    }
}
