"""SMS adapters: request signing against documented and independent expectations, and end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from matchmaker.notifications import signing
from matchmaker.notifications.channels import Outgoing, PermanentError, TransientError
from matchmaker.notifications.channels.sms import AliyunSms, TencentSms
from tests.notifications.providers import aliyun_expected, start_provider, tc3_expected

ALIYUN_DOC_PARAMS = {
    "AccessKeyId": "testId",
    "Action": "SendSms",
    "Format": "XML",
    "OutId": "123",
    "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou",
    "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0",
    "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}
MESSAGE = Outgoing(
    7,
    "sms",
    "13900001111",
    {"template_code": "SMS_100001", "params": {"my_kind": "科技成果", "my_title": "温漂补偿"}},
)


@pytest.fixture(scope="module")
def provider():
    server = start_provider()
    yield server
    assert server.server is not None
    server.server.shutdown()
    server.server.server_close()


def test_aliyun_signature_matches_the_documented_example():
    # Aliyun's SMS signing document: AccessKeySecret "testSecret" signs these parameters to this value.
    assert signing.aliyun_signature(ALIYUN_DOC_PARAMS, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_aliyun_encoding_follows_rfc3986():
    assert signing.aliyun_encode("a b*c~d/é") == "a%20b%2Ac~d%2F%C3%A9"
    params = {**ALIYUN_DOC_PARAMS, "TemplateParam": '{"title":"压力 传感器*"}'}
    assert signing.aliyun_signature(params, "s3") == aliyun_expected(params, "s3")


def test_tc3_signature_matches_an_independent_computation():
    body = json.dumps({"PhoneNumberSet": ["+8613900001111"], "TemplateId": "1"}).encode()
    auth = signing.tc3_authorization(
        secret_id="AKIDtest",
        secret_key="key",
        service="sms",
        host="sms.tencentcloudapi.com",
        payload=body,
        timestamp=1700000000,
    )
    expected = tc3_expected("key", 1700000000, "sms.tencentcloudapi.com", body, "2023-11-14")
    assert auth == (
        "TC3-HMAC-SHA256 Credential=AKIDtest/2023-11-14/sms/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={expected}"
    )


def _aliyun(provider) -> AliyunSms:
    config = {
        "ALIYUN_ACCESS_KEY_ID": "LTAItest",
        "ALIYUN_ACCESS_KEY_SECRET": provider.aliyun_secret,
        "ALIYUN_SMS_ENDPOINT": provider.url,
        "SMS_SIGN_NAME": "产学研对接平台",
    }
    return AliyunSms(config, clock=lambda: datetime(2026, 11, 18, 2, 0, tzinfo=UTC), nonce=lambda: "n-1")


def _tencent(provider) -> TencentSms:
    config = {
        "TENCENT_SECRET_ID": "AKIDtest",
        "TENCENT_SECRET_KEY": provider.tencent_secret,
        "TENCENT_SMS_APP_ID": "1400000000",
        "TENCENT_SMS_ENDPOINT": provider.url,
        "SMS_SIGN_NAME": "产学研对接平台",
    }
    return TencentSms(config, clock=lambda: 1763431200)


def test_aliyun_end_to_end_keeps_the_biz_id(provider):
    assert _aliyun(provider).send(MESSAGE) == "900619746936498440^0"
    query = provider.requests[-1]["query"]
    assert query["SignName"] == "产学研对接平台" and query["TemplateCode"] == "SMS_100001"
    assert json.loads(query["TemplateParam"]) == {"my_kind": "科技成果", "my_title": "温漂补偿"}
    assert query["PhoneNumbers"] == "13900001111" and query["Timestamp"] == "2026-11-18T02:00:00Z"


def test_aliyun_errors_are_classified(provider):
    provider.replies += [
        (200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}),
        (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}),
        (503, {"Code": "ServiceUnavailable"}),
    ]
    with pytest.raises(PermanentError):
        _aliyun(provider).send(MESSAGE)
    with pytest.raises(TransientError):
        _aliyun(provider).send(MESSAGE)
    with pytest.raises(TransientError):
        _aliyun(provider).send(MESSAGE)


def test_aliyun_wrong_secret_is_refused_by_the_server(provider):
    client = _aliyun(provider)
    client.config = {**client.config, "ALIYUN_ACCESS_KEY_SECRET": "wrong"}
    with pytest.raises(PermanentError, match="SignatureDoesNotMatch"):
        client.send(MESSAGE)


def test_tencent_end_to_end_keeps_the_serial_number(provider):
    assert _tencent(provider).send(MESSAGE) == "5000:1045710669157053657849499619"
    sent = provider.requests[-1]
    body = json.loads(sent["body"])
    assert body["PhoneNumberSet"] == ["+8613900001111"] and body["SmsSdkAppId"] == "1400000000"
    assert body["TemplateId"] == "SMS_100001" and body["TemplateParamSet"] == ["科技成果", "温漂补偿"]
    assert sent["headers"]["x-tc-action"] == "SendSms" and sent["headers"]["x-tc-version"] == "2021-01-11"


def test_tencent_errors_are_classified(provider):
    bad = {"SerialNo": "", "Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "号码错误"}
    provider.replies += [
        (200, {"Response": {"SendStatusSet": [bad], "RequestId": "r"}}),
        (200, {"Response": {"Error": {"Code": "LimitExceeded.PhoneNumberDailyLimit", "Message": "超限"}}}),
    ]
    with pytest.raises(PermanentError):
        _tencent(provider).send(MESSAGE)
    with pytest.raises(TransientError):
        _tencent(provider).send(MESSAGE)
    client = _tencent(provider)
    client.config = {**client.config, "TENCENT_SECRET_KEY": "wrong"}
    with pytest.raises(PermanentError, match="SignatureFailure"):
        client.send(MESSAGE)


def test_unreachable_provider_is_transient():
    client = TencentSms(
        {
            "TENCENT_SECRET_ID": "a",
            "TENCENT_SECRET_KEY": "b",
            "TENCENT_SMS_APP_ID": "1",
            "TENCENT_SMS_ENDPOINT": "http://127.0.0.1:9/",
            "SMS_SIGN_NAME": "x",
        },
        clock=lambda: 1763431200,
    )
    with pytest.raises(TransientError):
        client.send(MESSAGE)
