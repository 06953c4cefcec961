using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Veritensor.Client;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Blobs;
using Veritensor.Ledger;
using Veritensor.Ledger.Inference;
using Veritensor.Node.Hosting;
using Veritensor.Node.Roles;

namespace Veritensor.Node.Api;

/// <summary>
/// POST /v1/blobs on a ledger node: stores a model file under its hash, for a funded account that signed its intent
/// (<see cref="BlobUploadIntent"/>) and is within its hourly quota, and only while the disk keeps
/// <see cref="NodeOptions.MinFreeDiskBytes"/> free. Every check runs on the headers, before a byte of the body is read.
/// </summary>
internal static class BlobUploadApi
{
    public static void Map(RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapPost("/blobs", UploadAsync);
    }

    private static async Task<IResult> UploadAsync(
        HttpRequest request,
        BlobStore blobs,
        NodeRuntime node,
        UploadQuota quota,
        CancellationToken ct
    )
    {
        var options = node.Options;
        Address uploader;
        Hash256 contentId;
        long size;
        try
        {
            (uploader, contentId, size) = CheckIntent(request, node, blobs, options);
        }
        catch (ApiException e)
        {
            return RoleApi.Problem(e);
        }
        if (blobs.Contains(contentId))
            return Results.Ok(
                new BlobUploadResponse(contentId.ToString(), new FileInfo(blobs.GetPath(contentId)).Length)
            );
        if (!quota.TryReserve(uploader, size))
            return RoleApi.Problem(
                new ApiException(
                    ErrorCode.TooManyPending,
                    $"{uploader} stored its {options.MaxUploadBytesPerHour} bytes of blobs for this hour; try later."
                )
            );
        var sizeFeature =
            request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
            sizeFeature.MaxRequestBodySize = size;
        try
        {
            // Stored only when the body hashes to the signed content id.
            var id = await blobs.PutAsync(request.Body, size, contentId, ct).ConfigureAwait(false);
            return Results.Ok(new BlobUploadResponse(id.ToString(), new FileInfo(blobs.GetPath(id)).Length));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            quota.Release(uploader, size);
            return RoleApi.Problem(ApiException.TooLarge($"The body is larger than the signed size ({size} bytes)."));
        }
        catch (BlobException e)
        {
            quota.Release(uploader, size);
            return RoleApi.Problem(
                e.Message.Contains("hashes to", StringComparison.Ordinal)
                    ? ApiException.BadRequest($"The body is not the signed blob: {e.Message}.")
                    : ApiException.TooLarge(e.Message)
            );
        }
    }

    private static (Address Uploader, Hash256 ContentId, long Size) CheckIntent(
        HttpRequest request,
        NodeRuntime node,
        BlobStore blobs,
        NodeOptions options
    )
    {
        string? Header(string name) => request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
        var uploaderText = Header(BlobUploadIntent.UploaderHeader)
            ?? throw ApiException.Unauthorized(
                $"An upload names its uploader ({BlobUploadIntent.UploaderHeader}) and carries its signature ({BlobUploadIntent.SignatureHeader}); `veritensor model publish` sends both."
            );
        if (!Address.TryParse(uploaderText, out var uploader, out var error))
            throw ApiException.BadRequest($"{BlobUploadIntent.UploaderHeader}: {error}");
        if (!Hash256.TryParse(Header(BlobUploadIntent.ContentIdHeader), out var contentId))
            throw ApiException.BadRequest(
                $"{BlobUploadIntent.ContentIdHeader} must be the blob's SHA-256 (64 hex characters)."
            );
        if (request.ContentLength is not { } size || size <= 0)
            throw ApiException.BadRequest("An upload states its size (Content-Length).");
        if (size > options.MaxBlobBytes)
            throw ApiException.TooLarge($"The blob is larger than this node stores ({options.MaxBlobBytes} bytes).");
        var signature = SignedRequests.ParseSignature(
            Header(BlobUploadIntent.SignatureHeader),
            BlobUploadIntent.SignatureHeader
        ) ?? throw ApiException.Unauthorized($"{BlobUploadIntent.SignatureHeader} is missing.");
        var chainId = node.Chain.ChainId;
        if (!BlobUploadIntent.Verify(chainId, contentId, size, uploader, signature))
            throw ApiException.Unauthorized(
                $"{BlobUploadIntent.SignatureHeader} does not verify for {uploader}: it signs the content id and size on chain '{chainId}'."
            );
        // A funded account: what it pays to publish the model must be within its reach.
        var balance = node.Chain.GetAccount(uploader).Balance;
        var minFee = node.Chain.Parameters.MinFee;
        if (balance < minFee || balance == Amount.Zero)
            throw ApiException.Payment(
                $"{uploader} holds {balance}; an uploader needs at least the fee to publish ({minFee})."
            );
        var free = new DriveInfo(Path.GetFullPath(blobs.Directory)).AvailableFreeSpace;
        if (free - size < options.MinFreeDiskBytes)
            throw ApiException.Unavailable(
                $"This node keeps {options.MinFreeDiskBytes} bytes of disk free and has {free}; it stores no more blobs now."
            );
        return (uploader, contentId, size);
    }
}
