using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// The gateway's signature over a request id: the part of a request's verifier draw (<see cref="VerifierSelection.Seed"/>)
/// that the user, who picks the nonce, and the executor, who answers before it sees the ticket, cannot compute. The
/// user names the gateway in the signed request, and the ledger checks the ticket against that address.
/// <para>Ed25519 is not a verifiable random function: a gateway that signs with chosen nonces can make several valid
/// tickets for one request and keep the draw it likes. Only the gateway can do that, and it gains only where it
/// colludes with the verifiers it steers to (see docs/security.md).</para>
/// </summary>
public static class DrawTicket
{
    private static readonly byte[] Domain = "veritensor/draw-ticket/v1"u8.ToArray();

    public static byte[] Message(string chainId, Hash256 requestId) =>
        InferenceSigning.Begin(Domain, chainId).WriteHash(requestId).ToArray();

    public static Signature Create(string chainId, Hash256 requestId, KeyPair gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return gateway.Sign(Message(chainId, requestId));
    }

    public static bool Verify(string chainId, Hash256 requestId, Signature ticket, Address gateway) =>
        gateway.Verify(Message(chainId, requestId), ticket);
}
