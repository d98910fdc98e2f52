using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Tokens;

// Device code (/devicecode + polling) and authorization code (/authorize): the steps a person takes in a browser,
// which tests take through ApproveDeviceCode / DeclineDeviceCode / AuthorizeSignInUser.
public sealed partial class TokenService
{
    private const string UserCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ23456789";
    private readonly ConcurrentDictionary<string, bool> _redeemedCodes = new(StringComparer.Ordinal);

    /// <summary>Seconds between polls the device-code response asks for [setting: Entra says 5; 1 keeps tests fast].</summary>
    public int DeviceCodePollingIntervalSeconds { get; set; } = 1;

    /// <summary>Device-code lifetime (Entra: 900 seconds).</summary>
    public int DeviceCodeLifetimeSeconds { get; set; } = 900;

    /// <summary>When set, every new device code is approved at once for this user (UPN), as if they signed in immediately.</summary>
    public string? AutoApproveDeviceCodesFor { get; set; }

    /// <summary>Who signs in at /authorize when no login_hint names a user; null = the scenario's delegated user.</summary>
    public string? AuthorizeSignInUser { get; set; }

    /// <summary>Device codes nobody has approved or declined yet (oldest first).</summary>
    public IReadOnlyList<PendingDeviceCode> PendingDeviceCodes =>
        _deviceCodes.Values.Where(s => s.State == DeviceCodeState.Pending && s.ExpiresAt > _emulator.Clock.UtcNow)
            .OrderBy(s => s.ExpiresAt)
            .Select(s => new PendingDeviceCode(s.UserCode, s.ClientId, s.Scope, s.ExpiresAt))
            .ToList();

    /// <summary>Waits (bounded) until a device code is pending and returns it; null on timeout.</summary>
    public async Task<PendingDeviceCode?> WaitForDeviceCodeAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var pending = PendingDeviceCodes.FirstOrDefault();
            if (pending is not null)
            {
                return pending;
            }

            await Task.Delay(20, ct).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>The user enters the code and signs in (password-less: approval stands for a completed sign-in, MFA included).</summary>
    public bool ApproveDeviceCode(string userCode, string? userPrincipalName = null)
    {
        var user = FindUser(userPrincipalName ?? _emulator.Current.DelegatedUser)
            ?? throw new ArgumentException($"No user '{userPrincipalName}' in the tenant.", nameof(userPrincipalName));
        var session = FindSession(userCode);
        if (session is null || session.State != DeviceCodeState.Pending)
        {
            return false;
        }

        session.UserObjectId = user.ObjectId;
        session.State = DeviceCodeState.Approved;
        return true;
    }

    /// <summary>The user enters the code and chooses not to sign in.</summary>
    public bool DeclineDeviceCode(string userCode)
    {
        var session = FindSession(userCode);
        if (session is null || session.State != DeviceCodeState.Pending)
        {
            return false;
        }

        session.State = DeviceCodeState.Declined;
        return true;
    }

    private DeviceCodeSession? FindSession(string userCode) =>
        _deviceCodes.Values.FirstOrDefault(s => string.Equals(s.UserCode, userCode?.Trim(), StringComparison.OrdinalIgnoreCase));

    private EntraUser? FindUser(string userPrincipalName)
    {
        lock (Model.SyncRoot)
        {
            return Model.Users.FirstOrDefault(u => string.Equals(u.UserPrincipalName, userPrincipalName, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>POST /devicecode: client_id + scope; the response of ENTRA-DOCS v2-oauth2-device-code.</summary>
    private Task DeviceCodeAsync(HttpContext context, Tenant tenant, IFormCollection form)
    {
        var (app, _) = FindClient(tenant, form["client_id"].FirstOrDefault());
        var scope = form["scope"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(scope))
        {
            throw new AadErrorException(AadError.MissingParameter("scope"));
        }

        lock (Model.SyncRoot)
        {
            ScopeRequest.ForDelegated(Model, scope, tenant.DisplayName);
        }

        var userCode = new string(Enumerable.Range(0, 9).Select(_ => UserCodeAlphabet[RandomNumberGenerator.GetInt32(UserCodeAlphabet.Length)]).ToArray());
        var session = new DeviceCodeSession
        {
            DeviceCode = NewOpaqueToken("DAQABAAEAAA"),
            UserCode = userCode,
            ClientId = app.AppId,
            Scope = scope,
            ExpiresAt = _emulator.Clock.UtcNow.AddSeconds(DeviceCodeLifetimeSeconds),
        };
        _deviceCodes[session.DeviceCode] = session;
        if (AutoApproveDeviceCodesFor is { } autoUser)
        {
            ApproveDeviceCode(userCode, autoUser);
        }

        const string verificationUri = "https://microsoft.com/devicelogin";
        var body = new Dictionary<string, object>
        {
            ["user_code"] = userCode,
            ["device_code"] = session.DeviceCode,
            ["verification_uri"] = verificationUri,
            ["expires_in"] = DeviceCodeLifetimeSeconds,
            ["interval"] = DeviceCodePollingIntervalSeconds,
            ["message"] = $"To sign in, use a web browser to open the page {verificationUri} and enter the code {userCode} to authenticate.",
        };
        return Json(context, 200, JsonSerializer.Serialize(body));
    }

    /// <summary>Polling: authorization_pending until the user acts, then authorization_declined, expired_token or the tokens.</summary>
    private Task DeviceCodeToken(HttpContext context, Tenant tenant, string tenantSegment, IFormCollection form)
    {
        var (app, sp) = FindClient(tenant, form["client_id"].FirstOrDefault());
        var deviceCode = form["device_code"].FirstOrDefault() ?? form["code"].FirstOrDefault();
        if (string.IsNullOrEmpty(deviceCode))
        {
            throw new AadErrorException(AadError.MissingParameter("device_code"));
        }

        if (!_deviceCodes.TryGetValue(deviceCode, out var session) || session.ClientId != app.AppId)
        {
            throw new AadErrorException(AadError.InvalidDeviceCode());
        }

        if (session.ExpiresAt <= _emulator.Clock.UtcNow)
        {
            _deviceCodes.TryRemove(deviceCode, out _);
            throw new AadErrorException(AadError.DeviceCodeExpired());
        }

        switch (session.State)
        {
            case DeviceCodeState.Pending:
                throw new AadErrorException(AadError.AuthorizationPending());
            case DeviceCodeState.Declined:
                _deviceCodes.TryRemove(deviceCode, out _);
                throw new AadErrorException(AadError.AuthorizationDeclined());
        }

        var appIdAcr = AuthenticateClient(context, form, tenantSegment, tenant, app, publicClientAllowed: true);
        _deviceCodes.TryRemove(deviceCode, out _);
        return IssueDelegated(context, form, tenant, app, sp, session.UserObjectId!.Value, session.Scope, appIdAcr, interactive: true);
    }

    /// <summary>
    /// GET /authorize: the browser leg. The signed-in user is login_hint, else <see cref="AuthorizeSignInUser"/>, else the
    /// scenario's delegated user; the answer is a 302 to redirect_uri with code and state (or error and error_description).
    /// </summary>
    private Task Authorize(HttpContext context, Tenant tenant)
    {
        var query = context.Request.Query;
        var (app, sp) = FindClient(tenant, query["client_id"].FirstOrDefault());
        var redirectUri = query["redirect_uri"].FirstOrDefault() ?? "";
        lock (Model.SyncRoot)
        {
            if (!app.RedirectUris.Contains(redirectUri, StringComparer.Ordinal) && !app.WebRedirectUris.Contains(redirectUri, StringComparer.Ordinal))
            {
                throw new AadErrorException(AadError.RedirectUriMismatch(redirectUri, app.AppId.ToString()));
            }
        }

        if (query["response_type"].FirstOrDefault() != "code")
        {
            return Redirect(context, redirectUri, ("error", "unsupported_response_type"), ("state", query["state"].FirstOrDefault()));
        }

        var scope = query["scope"].FirstOrDefault() ?? "";
        var state = query["state"].FirstOrDefault();
        var user = FindUser(query["login_hint"].FirstOrDefault() ?? AuthorizeSignInUser ?? _emulator.Current.DelegatedUser);
        if (user is null || !user.AccountEnabled)
        {
            return Redirect(context, redirectUri, ("error", "access_denied"), ("error_description", "AADSTS50034: The user account does not exist in the directory."), ("state", state));
        }

        try
        {
            ScopeRequest request;
            lock (Model.SyncRoot)
            {
                request = ScopeRequest.ForDelegated(Model, scope, tenant.DisplayName);
            }

            if (GrantedDelegatedScopes(sp, request) is null)
            {
                throw new AadErrorException(AadError.ConsentRequired(app.AppId.ToString(), app.DisplayName));
            }
        }
        catch (AadErrorException ex)
        {
            return Redirect(context, redirectUri, ("error", ex.Error.SubError ?? ex.Error.Error), ("error_description", $"AADSTS{ex.Error.Code}: {ex.Error.Message}"), ("state", state));
        }

        var challenge = query["code_challenge"].FirstOrDefault();
        var method = query["code_challenge_method"].FirstOrDefault() ?? (challenge is null ? null : "plain");
        var code = NewOpaqueToken("1.AUAA");
        _authorizationCodes[code] = new AuthorizationCodeGrant(app.AppId, user.ObjectId, scope, redirectUri, challenge, method, _emulator.Clock.UtcNow.AddMinutes(10));
        return Redirect(context, redirectUri, ("code", code), ("state", state), ("session_state", Guid.NewGuid().ToString()));
    }

    private static Task Redirect(HttpContext context, string redirectUri, params (string Name, string? Value)[] parameters)
    {
        var query = string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = redirectUri + (redirectUri.Contains('?') ? "&" : "?") + query;
        return Task.CompletedTask;
    }
}
