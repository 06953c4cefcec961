using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.State;

/// <summary>A registered node: its owner coldkey, roles, public endpoint and the block it registered at.</summary>
public sealed record NodeRecord(Address Owner, NodeRoles Roles, string Endpoint, ulong RegisteredAt)
{
    public byte[] Encode() =>
        new CanonicalWriter(64)
            .WriteAddress(Owner)
            .WriteU8((byte)Roles)
            .WriteString(Endpoint)
            .WriteU64(RegisteredAt)
            .ToArray();

    public static NodeRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var record = new NodeRecord(
            reader.ReadAddress("owner"),
            (NodeRoles)reader.ReadU8("roles"),
            reader.ReadString("endpoint", RegisterNodePayload.MaxEndpointBytes),
            reader.ReadU64("registeredAt")
        );
        reader.EnsureEnd("node record");
        return record;
    }
}
