"""SMS through Aliyun (dysmsapi SendSms, RPC signature v1) and Tencent Cloud (SendSms 2021-01-11, TC3).

Both send pre-approved templates: the template code comes from SMS_TEMPLATES (cause -> code) and
the parameters from the cause; the signature name (签名) is SMS_SIGN_NAME. Time and nonce are
injectable so requests are reproducible in tests.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from matchmaker.notifications import signing
from matchmaker.notifications.channels.base import Outgoing, PermanentError, TransientError

# Provider error codes that a later attempt may get past (throttling, provider trouble).
ALIYUN_TRANSIENT = {"isv.BUSINESS_LIMIT_CONTROL", "SignatureNonceUsed", "Throttling", "ServiceUnavailable"}
TENCENT_TRANSIENT_PREFIXES = ("LimitExceeded", "InternalError", "RequestLimitExceeded")


def _http(request: urllib.request.Request, timeout: float) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode())
    except urllib.error.HTTPError as exc:
        body = exc.read().decode(errors="replace")
        if exc.code >= 500 or exc.code == 429:
            raise TransientError(f"HTTP {exc.code}: {body[:200]}") from exc
        try:
            return json.loads(body)
        except ValueError:
            raise PermanentError(f"HTTP {exc.code}: {body[:200]}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise TransientError(f"provider unreachable: {exc}") from exc


class AliyunSms:
    """Aliyun SMS: a signed GET to dysmsapi; the BizId is the provider id."""

    provider = "aliyun"

    def __init__(
        self,
        config: Mapping[str, Any],
        *,
        clock: Callable[[], datetime] | None = None,
        nonce: Callable[[], str] | None = None,
    ) -> None:
        self.config = config
        self.clock = clock or (lambda: datetime.now(UTC))
        self.nonce = nonce or (lambda: uuid.uuid4().hex)

    def params(self, message: Outgoing) -> dict[str, str]:
        """The request parameters of SendSms, without the signature."""
        cfg = self.config
        return {
            "AccessKeyId": cfg["ALIYUN_ACCESS_KEY_ID"],
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": message.address,
            "RegionId": "cn-hangzhou",
            "SignName": cfg["SMS_SIGN_NAME"],
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": self.nonce(),
            "SignatureVersion": "1.0",
            "TemplateCode": message.content["template_code"],
            "TemplateParam": json.dumps(message.content.get("params") or {}, ensure_ascii=False),
            "Timestamp": self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            "OutId": str(message.delivery_id),
        }

    def send(self, message: Outgoing) -> str:
        """Send and return the BizId; 'OK' is success, anything else an error with Aliyun's code."""
        query = signing.aliyun_signed_query(self.params(message), self.config["ALIYUN_ACCESS_KEY_SECRET"])
        url = self.config["ALIYUN_SMS_ENDPOINT"].rstrip("/") + "/?" + query
        body = _http(urllib.request.Request(url, method="GET"), float(self.config.get("SMTP_TIMEOUT") or 10))
        if body.get("Code") == "OK":
            return str(body.get("BizId") or body.get("RequestId"))
        code = str(body.get("Code"))
        error = TransientError if code in ALIYUN_TRANSIENT else PermanentError
        raise error(f"aliyun {code}: {body.get('Message')}")


class TencentSms:
    """Tencent Cloud SMS: a TC3-signed JSON POST; the SerialNo is the provider id."""

    provider = "tencent"

    def __init__(self, config: Mapping[str, Any], *, clock: Callable[[], int] | None = None) -> None:
        self.config = config
        self.clock = clock or (lambda: int(time.time()))

    def payload(self, message: Outgoing) -> bytes:
        """The SendSms request body; template parameters in the template's order."""
        number = message.address if message.address.startswith("+") else f"+86{message.address}"
        body = {
            "PhoneNumberSet": [number],
            "SmsSdkAppId": self.config["TENCENT_SMS_APP_ID"],
            "SignName": self.config["SMS_SIGN_NAME"],
            "TemplateId": message.content["template_code"],
            "TemplateParamSet": [str(v) for v in (message.content.get("params") or {}).values()],
            "SessionContext": str(message.delivery_id),
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    def request(self, message: Outgoing) -> urllib.request.Request:
        """The signed HTTP request."""
        cfg, payload, timestamp = self.config, self.payload(message), self.clock()
        endpoint = cfg["TENCENT_SMS_ENDPOINT"]
        host = urlsplit(endpoint).netloc
        headers = {
            "Authorization": signing.tc3_authorization(
                secret_id=cfg["TENCENT_SECRET_ID"],
                secret_key=cfg["TENCENT_SECRET_KEY"],
                service="sms",
                host=host,
                payload=payload,
                timestamp=timestamp,
            ),
            "Content-Type": "application/json; charset=utf-8",
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": "2021-01-11",
            "X-TC-Region": cfg.get("TENCENT_SMS_REGION") or "ap-guangzhou",
        }
        return urllib.request.Request(endpoint, data=payload, headers=headers, method="POST")

    def send(self, message: Outgoing) -> str:
        """Send and return the SerialNo; an API error or a per-number status other than Ok fails."""
        body = _http(self.request(message), float(self.config.get("SMTP_TIMEOUT") or 10)).get("Response", {})
        if "Error" in body:
            code = str(body["Error"].get("Code"))
            error = TransientError if code.startswith(TENCENT_TRANSIENT_PREFIXES) else PermanentError
            raise error(f"tencent {code}: {body['Error'].get('Message')}")
        status = (body.get("SendStatusSet") or [{}])[0]
        if status.get("Code") != "Ok":
            code = str(status.get("Code"))
            error = TransientError if code.startswith(TENCENT_TRANSIENT_PREFIXES) else PermanentError
            raise error(f"tencent {code}: {status.get('Message')}")
        return str(status.get("SerialNo"))
