// Viewer requests of the docs site (CloudFront Functions, runtime cloudfront-js-2.0), rendered
// by Terraform (templatefile). CloudFront checks every pass itself: the signature of the signed
// URL or cookies against the distribution's trusted key group. A reader signs the pass's policy
// with the domain's KMS key and so chooses its expiry: this refuses a pass that lasts longer
// than ${max_hours} hours from now, and turns a signed URL into the same pass as cookies (the
// site's index.html then reads manifest.json and catalog.json with them).
var MAX_SECONDS = ${max_hours} * 3600;
var PASS_PARTS = ['Policy', 'Signature', 'Key-Pair-Id', 'Hash-Algorithm'];

function decoded(value) {
    // CloudFront's URL-safe base64: '-' for '+', '_' for '=', '~' for '/'
    var base64 = value.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/');
    return Buffer.from(base64, 'base64').toString('utf8');
}

function policyExpiry(policy) {
    var statement = JSON.parse(decoded(policy)).Statement[0];
    return Number(statement.Condition.DateLessThan['AWS:EpochTime']);
}

function passExpiry(query, cookies) {
    // the expiry the request's pass states (custom or canned policy), null without a pass
    var policy = query.Policy || cookies['CloudFront-Policy'];
    if (policy) {
        return policyExpiry(policy.value);
    }
    var expires = query.Expires || cookies['CloudFront-Expires'];
    return expires ? Number(expires.value) : null;
}

function refused(reason) {
    return { statusCode: 403, statusDescription: reason };
}

function handler(event) {
    var request = event.request;
    var query = request.querystring;
    var expiry;
    try {
        expiry = passExpiry(query, request.cookies);
    } catch (e) {
        return refused('Unreadable pass');
    }
    if (expiry !== null && !(expiry <= Date.now() / 1000 + MAX_SECONDS)) {
        return refused('Pass valid for more than ${max_hours} hours');
    }
    if (query.Policy && query.Signature && query['Key-Pair-Id']) {
        var cookies = {};
        PASS_PARTS.forEach(function (name) {
            if (query[name]) {
                cookies['CloudFront-' + name] = {
                    value: query[name].value,
                    attributes: 'Path=/; Secure; HttpOnly; SameSite=Lax',
                };
            }
        });
        return {
            statusCode: 302,
            statusDescription: 'Found',
            headers: { location: { value: request.uri } },
            cookies: cookies,
        };
    }
    return request;
}
