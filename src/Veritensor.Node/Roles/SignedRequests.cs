using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;
using Veritensor.Ledger.Inference;

namespace Veritensor.Node.Roles;

/// <summary>Reads a user's signed inference request off the wire and checks its signature.</summary>
internal static class SignedRequests
{
    public static SignedInferenceRequest Decode(string? base64, string chainId)
    {
        if (string.IsNullOrEmpty(base64))
            throw ApiException.BadRequest("request is missing: send the user's signed inference request (base64).");
        SignedInferenceRequest signed;
        try
        {
            signed = SignedInferenceRequest.Decode(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw ApiException.BadRequest("request is not base64.");
        }
        catch (CanonicalEncodingException e)
        {
            throw ApiException.BadRequest($"request is malformed: {e.Message}", e);
        }
        if (!signed.Verify(chainId))
            throw ApiException.Unauthorized(
                $"The request's signature does not verify for user {signed.Request.User} on chain '{chainId}'."
            );
        return signed;
    }

    /// <summary>A base64 Ed25519 signature in field <paramref name="field"/>, or null when the field is absent.</summary>
    public static Signature? ParseSignature(string? base64, string field)
    {
        if (string.IsNullOrEmpty(base64))
            return null;
        try
        {
            return base64.Length > 128 ? throw new FormatException() : new Signature(Convert.FromBase64String(base64));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw ApiException.BadRequest($"{field} is not a base64 Ed25519 signature (64 bytes).");
        }
    }
}
