using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Node.Roles;
using Veritensor.Node.Roles.Gateway;
using Veritensor.Tensors;

namespace Veritensor.Node.Tests.Inference;

/// <summary>The review's gateway memory attack: 20,000 answers of 16 MiB each. The store is bounded in bytes too.</summary>
[UnitTest]
public sealed class ResultStoreTests
{
    private static StoredInference Entry(int floats)
    {
        var tensor = new NamedTensor("t", Tensor.FromFloats([floats], new float[floats]));
        var response = new InferenceApiResponse("id", "returned", "none", "m", "m@1", "0", [], null!, []);
        return new StoredInference(response, null!, [tensor], [tensor]);
    }

    [Fact]
    public void The_oldest_answers_go_once_the_tensors_held_pass_the_byte_budget()
    {
        var store = new InferenceResultStore(new RoleOptions { MaxStoredResultBytes = 3000 });
        var ids = Enumerable.Range(0, 4).Select(i => Hash256.Compute(BitConverter.GetBytes(i))).ToArray();
        foreach (var id in ids)
            Assert.True(store.TryAdd(id, Entry(100))); // 400 bytes in, 800 out: 1200 each
        Assert.InRange(store.Bytes, 1, 3000);
        Assert.False(store.Contains(ids[0]));
        Assert.False(store.Contains(ids[1]));
        Assert.True(store.Contains(ids[2]));
        Assert.True(store.Contains(ids[3]));
        Assert.False(store.TryAdd(ids[3], Entry(1)));
    }
}
