using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Setup.Entra;
using OAuthSmtp.Engine.Setup.Exchange;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// What one run of the doctor has learned so far, shared by the checks: each check reads what earlier ones found
/// (the token's claims, the Exchange service principal, the mailbox) instead of asking again.
/// </summary>
public sealed class SetupContext
{
    private readonly Dictionary<SetupStep, SetupCheckResult> _results = new();
    private bool _directoryResolved;
    private IEntraDirectory? _directory;
    private bool _applicationResolved;
    private EntraApplicationRecord? _application;
    private bool _rbacResolved;
    private bool _adminResolved;
    private GraphAdminSession? _adminSession;
    private string? _adminWhyNot;
    private IReadOnlyList<ServicePrincipalAuthorizationRecord>? _rbacRows;

    internal SetupContext(SetupRequest request, SetupServices services, CancellationToken cancellationToken)
    {
        Request = request;
        Services = services;
        CancellationToken = cancellationToken;
    }

    public SetupRequest Request { get; }

    public SetupServices Services { get; }

    public CancellationToken CancellationToken { get; }

    public SmtpOAuthProfile Profile => Request.Profile;

    public bool IsDelegated => Profile.IsDelegated;

    public DateTimeOffset Now => Services.UtcNow();

    /// <summary>The tenant GUID from OpenID discovery.</summary>
    public string? TenantGuid { get; internal set; }

    public AccessToken? Token { get; internal set; }

    public TokenClaims? Claims { get; internal set; }

    /// <summary>The app-only token has no roles and the app goes the RBAC for Applications way (found, or chosen with -UseRbac).</summary>
    public bool IsRbacRoute { get; internal set; }

    /// <summary>The Exchange service principal whose ObjectId is the token's oid.</summary>
    public ExchangeServicePrincipalRecord? ServicePrincipal { get; internal set; }

    /// <summary>The sending mailbox as Exchange knows it.</summary>
    public ExchangeMailboxRecord? Mailbox { get; internal set; }

    /// <summary>The token's client id (appid), else the profile's.</summary>
    public string ClientId => Claims?.ClientId ?? (Profile.ClientId == Guid.Empty ? string.Empty : Profile.ClientId.ToString());

    /// <summary>The token's oid: the enterprise application (app-only) or the user (delegated).</summary>
    public string? ObjectId => Claims?.ObjectId;

    /// <summary>The address Exchange knows the sending mailbox by.</summary>
    public string MailboxAddress => Mailbox?.PrimarySmtpAddress ?? Profile.Mailbox;

    /// <summary>The profile name as a -Profile/-Name argument.</summary>
    public string ProfileArgument => PowerShellText.Quote(Profile.Name.Length == 0 ? "<profile>" : Profile.Name);

    public IReadOnlyDictionary<SetupStep, SetupCheckResult> Results => _results;

    /// <summary>Keeps the step's worst result: a step with one result per address failed when any of them failed.</summary>
    internal void Record(SetupCheckResult result)
    {
        if (!_results.TryGetValue(result.Step, out var earlier) || Severity(result.Status) > Severity(earlier.Status))
        {
            _results[result.Step] = result;
        }
    }

    private static int Severity(SetupCheckStatus status) => status switch
    {
        SetupCheckStatus.Fail => 3,
        SetupCheckStatus.Skipped => 2,
        SetupCheckStatus.Warning => 1,
        _ => 0,
    };

    public SetupCheckResult? ResultOf(SetupStep step) => _results.TryGetValue(step, out var result) ? result : null;

    public bool Passed(SetupStep step) => ResultOf(step) is { Status: SetupCheckStatus.Pass or SetupCheckStatus.Warning };

    /// <summary>Runs async I/O to completion on this thread; the continuations never need this thread (no context is captured).</summary>
    internal T Wait<T>(Func<CancellationToken, Task<T>> operation)
    {
        CancellationToken.ThrowIfCancellationRequested();
        var task = Task.Run(() => operation(CancellationToken), CancellationToken);
        return Services.Waiter is { } waiter ? waiter.Wait(task) : task.GetAwaiter().GetResult();
    }

    /// <summary>Graph, when the credential can get a Graph token; null otherwise (the checks fall back on the token alone).</summary>
    public IEntraDirectory? Directory
    {
        get
        {
            if (_directoryResolved)
            {
                return _directory;
            }

            _directoryResolved = true;
            if (Token is null)
            {
                return null;
            }

            try
            {
                var graphToken = Wait(ct => Services.Tokens.GetGraphTokenAsync(Request.GraphScope, ct));
                _directory = graphToken is null ? null : Services.DirectoryFactory(graphToken, Request.EffectiveGraphEndpoint);
            }
            catch (OAuthSmtpException)
            {
                // A refused Graph token only means less detail, never a failed check.
                _directory = null;
            }

            return _directory;
        }
    }

    /// <summary>The app registration from Graph (for its object id and secrets' end dates), or null when Graph cannot be read.</summary>
    public EntraApplicationRecord? Application
    {
        get
        {
            if (_applicationResolved)
            {
                return _application;
            }

            _applicationResolved = true;
            var directory = Directory;
            if (directory is not null && ClientId.Length > 0)
            {
                _application = Safe(() => Wait(ct => directory.GetApplicationAsync(ClientId, ct)));
            }

            return _application;
        }
    }

    /// <summary>
    /// Who the admin's Graph session acts as, with which scopes and roles (for the Entra fixes); null when there is no
    /// session (<see cref="AdminGraphUnavailableReason"/> says why).
    /// </summary>
    public GraphAdminSession? AdminGraphSession
    {
        get
        {
            ResolveAdminGraph();
            return _adminSession;
        }
    }

    /// <summary>Why there is no admin Graph session (null when there is one).</summary>
    public string? AdminGraphUnavailableReason
    {
        get
        {
            ResolveAdminGraph();
            return _adminWhyNot;
        }
    }

    /// <summary>The admin's Graph gateway, when it has a session.</summary>
    public IGraphAdmin? AdminGraph => AdminGraphSession is null ? null : Services.GraphAdmin;

    private void ResolveAdminGraph()
    {
        if (_adminResolved)
        {
            return;
        }

        _adminResolved = true;
        if (Services.GraphAdmin is null)
        {
            _adminWhyNot = Services.GraphAdminUnavailableReason ?? "no Microsoft Graph session is connected";
            return;
        }

        try
        {
            _adminSession = Services.GraphAdmin.DescribeSession();
        }
        catch (OAuthSmtpException notConnected) when (notConnected.ErrorId != ErrorIds.OperationStopped)
        {
            _adminWhyNot = notConnected.Message;
        }
    }

    /// <summary>Test-ServicePrincipalAuthorization rows for the token's oid and the mailbox (null: not available).</summary>
    public IReadOnlyList<ServicePrincipalAuthorizationRecord>? RbacRows
    {
        get
        {
            if (_rbacResolved)
            {
                return _rbacRows;
            }

            _rbacResolved = true;
            var exchange = ExchangeIfUsable;
            if (exchange is not null && !string.IsNullOrEmpty(ObjectId))
            {
                try
                {
                    _rbacRows = exchange.TestServicePrincipalAuthorization(ObjectId!, MailboxAddress);
                }
                catch (ExchangeAdminException)
                {
                    // No such service principal yet: no RBAC assignment either.
                    _rbacRows = Array.Empty<ServicePrincipalAuthorizationRecord>();
                }
            }

            return _rbacRows;
        }
    }

    /// <summary>Whether an "Application SMTP.SendAsApp" role assignment exists for the app (any scope).</summary>
    public bool HasSmtpRoleAssignment => RbacRows?.Any(r => r.IsSmtpRole) == true;

    /// <summary>The Exchange session when the run may use it (connected and not -SkipExchange).</summary>
    public IExchangeAdmin? ExchangeIfUsable => Request.SkipExchange ? null : Services.Exchange;

    private static T? Safe<T>(Func<T?> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (OAuthSmtpException)
        {
            return null;
        }
    }
}
