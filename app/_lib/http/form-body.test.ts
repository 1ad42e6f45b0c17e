import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERRORS } from './errors';
import { MAX_FORM_BYTES, checkDeclaredLength, checkFormBytes, isFormContentType } from './form-body';

describe('form post bodies', () => {
  it('checks form posts only: multipart and URL-encoded, whatever the case', () => {
    assert.equal(isFormContentType('multipart/form-data; boundary=----x'), true);
    assert.equal(isFormContentType('Application/X-WWW-Form-Urlencoded'), true);
    assert.equal(isFormContentType('application/json'), false);
    assert.equal(isFormContentType(null), false);
  });

  it('accepts UTF-8 text of any script, up to the limit', () => {
    assert.equal(checkFormBytes(new TextEncoder().encode('body=Ça coûte 100 € 👍 小米')), null);
    assert.equal(checkFormBytes(new Uint8Array(MAX_FORM_BYTES).fill(0x61)), null);
    assert.equal(checkDeclaredLength(String(MAX_FORM_BYTES)), null);
    assert.equal(checkDeclaredLength(null), null);
  });

  it('refuses invalid UTF-8 with 400 instead of letting the parser replace it', () => {
    for (const bytes of [[0xc3, 0x28], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0x61, 0xe2, 0x82]]) {
      assert.equal(checkFormBytes(new Uint8Array(bytes)), 'invalid:encoding', String(bytes));
      assert.equal(ERRORS['invalid:encoding'].status, 400);
    }
  });

  it('refuses a body over the limit with 413, declared or not', () => {
    assert.equal(checkDeclaredLength(String(MAX_FORM_BYTES + 1)), 'invalid:too_large');
    assert.equal(ERRORS['invalid:too_large'].status, 413);
    assert.equal(checkFormBytes(new Uint8Array(MAX_FORM_BYTES + 1).fill(0x61)), 'invalid:too_large');
  });
});
