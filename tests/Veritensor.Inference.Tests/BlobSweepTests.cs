using Veritensor.Inference.Blobs;

namespace Veritensor.Inference.Tests;

/// <summary><see cref="BlobStore.Sweep"/>: what it deletes (old, unclaimed blobs and crash leftovers) and what it keeps.</summary>
[UnitTest]
public sealed class BlobSweepTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Only_blobs_older_than_the_cutoff_that_nothing_claims_are_deleted()
    {
        var store = new BlobStore(_directory.Path);
        var now = DateTime.UtcNow;
        var claimed = store.Put([1, 2, 3]);
        var abandoned = store.Put([4, 5, 6, 7]);
        var recent = store.Put([8]);
        File.SetLastWriteTimeUtc(store.GetPath(claimed), now.AddHours(-2));
        File.SetLastWriteTimeUtc(store.GetPath(abandoned), now.AddHours(-2));
        File.SetLastWriteTimeUtc(store.GetPath(recent), now.AddMinutes(-1));
        // A crash's leftover upload, and a file that is no blob's (an operator's note).
        var leftover = Path.Combine(store.Directory, ".incoming-crashed");
        File.WriteAllBytes(leftover, [9]);
        File.SetLastWriteTimeUtc(leftover, now.AddHours(-2));
        var note = Path.Combine(Path.GetDirectoryName(store.GetPath(claimed))!, "README");
        File.WriteAllText(note, "keep me");
        File.SetLastWriteTimeUtc(note, now.AddHours(-2));

        var removed = store.Sweep(id => id == claimed, now.AddHours(-1));

        Assert.Equal((1, 4L), removed);
        Assert.False(store.Contains(abandoned));
        Assert.True(store.Contains(claimed));
        Assert.True(store.Contains(recent));
        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(note));
    }

    [Fact]
    public void Storing_a_blob_again_restarts_its_grace_period()
    {
        var store = new BlobStore(_directory.Path);
        var id = store.Put([1, 2, 3]);
        File.SetLastWriteTimeUtc(store.GetPath(id), DateTime.UtcNow.AddHours(-2));
        Assert.Equal(id, store.Put([1, 2, 3]));
        Assert.Equal((0, 0L), store.Sweep(_ => false, DateTime.UtcNow.AddHours(-1)));
        Assert.True(store.Contains(id));
    }
}
