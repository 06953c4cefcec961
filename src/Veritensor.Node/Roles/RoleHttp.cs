using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Veritensor.Client;

namespace Veritensor.Node.Roles;

/// <summary>
/// JSON calls between role servers over one pooled HTTP client (keep-alive connections, so a loopback hop costs
/// tens of microseconds, not a TCP handshake). Problem answers become <see cref="RoleCallException"/>. Peers come
/// from registrations anyone can write, so every call is bounded: no redirects, answers no larger than
/// <see cref="MaxAnswerBytes"/>, no connection to a loopback or private address unless
/// <see cref="RoleOptions.AllowPrivatePeers"/>, and a peer's error text is passed on only when it carries a known code.
/// </summary>
internal sealed class RoleHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };
    private readonly HttpClient _http;

    public RoleHttp(RoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A JSON tensor is at most a few times its binary size; an answer beyond this is an attack, not an output.
        MaxAnswerBytes = checked(4 * options.MaxRequestBytes + 64 * 1024);
        var allowPrivate = options.AllowPrivatePeers;
        _http = new HttpClient(
            new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 256,
                UseProxy = false,
                AllowAutoRedirect = false,
                ConnectCallback = (context, ct) => PeerAddress.ConnectAsync(context, allowPrivate, ct),
            }
        )
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxAnswerBytes,
        };
    }

    public long MaxAnswerBytes { get; }

    public async Task<TResponse> PostAsync<TRequest, TResponse>(
        string endpoint,
        string path,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        TimeSpan timeout,
        CancellationToken cancellationToken
    )
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var uri = new Uri(new Uri(endpoint.EndsWith('/') ? endpoint : endpoint + "/"), path);
        HttpResponseMessage response;
        try
        {
            // Serialised up front: a body with a Content-Length goes out in one write, where a streamed one is chunked.
            using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType));
            content.Headers.ContentType = JsonMediaType;
            response = await _http.PostAsync(uri, content, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RoleCallException(
                endpoint,
                $"no answer from {endpoint} within {timeout.TotalMilliseconds:0} ms",
                null,
                0,
                e
            );
        }
        catch (HttpRequestException e)
        {
            throw new RoleCallException(endpoint, $"cannot reach {endpoint}: {e.Message}", null, 0, e);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return await response.Content.ReadFromJsonAsync(responseType, cts.Token).ConfigureAwait(false)
                        ?? throw new RoleCallException(
                            endpoint,
                            $"{endpoint} sent an empty answer",
                            null,
                            (int)response.StatusCode
                        );
                }
                catch (JsonException e)
                {
                    throw new RoleCallException(
                        endpoint,
                        $"{endpoint} sent an answer that is not the expected JSON: {e.Message}",
                        null,
                        (int)response.StatusCode,
                        e
                    );
                }
            }
            var problem = await Problem.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            // Only a problem with one of our codes is a peer's refusal worth repeating; anything else may be whatever
            // answers at that address, and its body must not reach the gateway's caller.
            var known = Enum.TryParse<Ledger.ErrorCode>(problem.Code, out _);
            throw new RoleCallException(
                endpoint,
                known
                    ? $"{endpoint} answered {problem.Status}: {problem.Detail}"
                    : $"{endpoint} answered {problem.Status} without a Veritensor problem code",
                known ? problem.Code : null,
                problem.Status
            );
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A call to another role server failed: unreachable, too slow, or refused (with the problem's code and status).</summary>
internal sealed class RoleCallException(
    string endpoint,
    string message,
    string? code,
    int statusCode,
    Exception? inner = null
) : Exception(message, inner)
{
    public string Endpoint { get; } = endpoint;
    public string? Code { get; } = code;
    public int StatusCode { get; } = statusCode;

    /// <summary>A 4xx answer means the request itself is at fault, so trying another node would not help.</summary>
    public bool IsClientError => StatusCode is >= 400 and < 500 and not 408 and not 429;
}
