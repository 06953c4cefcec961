using Veritensor.Client;

namespace Veritensor.Node.Roles.Verification;

/// <summary>
/// A verification node's protocol: commit to its own output before seeing the executor's, then attest;
/// and judge disputed outputs as a quorum member. <see cref="VerificationService"/> is the honest one;
/// tests put a lazy one in its place to check that audits catch it.
/// </summary>
internal interface IVerifier
{
    Task<CommitResponse> CommitAsync(JsonBody body, CancellationToken cancellationToken);

    Task<AttestResponse> AttestAsync(AttestRequest body, CancellationToken cancellationToken);

    Task<AttestResponse> JudgeAsync(JudgeRequest body, CancellationToken cancellationToken);

    RoleHealthResponse Health();
}
