using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// The gateway's signed order to one node to work on one request: an inference node executes, a verifier commits and
/// attests, only for requests whose named gateway (<see cref="InferenceRequest.Gateway"/>) signed this for it. So a
/// node works only for requests a registered gateway took (and will record and charge), never for whoever calls it;
/// and a third party who learns a request id cannot use up a verifier's commitment.
/// </summary>
public static class GatewayDispatch
{
    private static readonly byte[] Domain = "veritensor/gateway-dispatch/v1"u8.ToArray();

    public static byte[] Message(string chainId, Hash256 requestId, Address node) =>
        InferenceSigning.Begin(Domain, chainId).WriteHash(requestId).WriteAddress(node).ToArray();

    public static Signature Create(string chainId, Hash256 requestId, Address node, KeyPair gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return gateway.Sign(Message(chainId, requestId, node));
    }

    public static bool Verify(string chainId, Hash256 requestId, Address node, Signature dispatch, Address gateway) =>
        gateway.Verify(Message(chainId, requestId, node), dispatch);
}
