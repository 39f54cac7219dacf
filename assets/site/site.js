// The verification page of `taller site`. Everything happens here, in the
// browser: no request leaves the page. data.js holds the organiser's signed
// data; the public key is in index.html, so an edited data file is refused.
// Each certificate is three encrypted entries, found and opened only with
// what its holder has: the id and token in its QR code, its id and the name
// as printed (stretched with PBKDF2), or its PDF (SHA-256). The derivations
// match crates/verify/src/site.rs.
(function () {
  'use strict';

  var TEXT = {
    es: {
      kicker: 'Verificación de certificados',
      title: 'Verificar un certificado',
      intro: 'Escanee el código QR de un certificado, escriba su número y el nombre tal como está impreso, o elija su PDF.',
      typedTitle: 'Escribirlo',
      idLabel: 'Número del certificado',
      nameLabel: 'Nombre, tal como está impreso',
      check: 'Verificar',
      pdfTitle: 'Comprobar el PDF',
      dropHint: 'Suelte aquí el PDF del certificado, o elíjalo:',
      pdfPrivate: 'El archivo no sale de este ordenador: solo se compara su huella (SHA-256).',
      proof: 'Los certificados de esta página están firmados por la entidad organizadora; esta página comprueba la firma por sí misma, sin consultar ningún servidor.',
      keyLabel: 'Clave de la entidad organizadora',
      pending: 'Comprobando…',
      valid: 'Certificado válido',
      validText: 'Este certificado fue emitido por la entidad organizadora y no ha sido revocado.',
      revoked: 'Certificado revocado',
      revokedText: 'Este certificado fue emitido, pero la entidad organizadora lo ha revocado.',
      modified: 'PDF modificado',
      modifiedText: 'Este archivo no es el certificado tal como se emitió: ha sido modificado.',
      unknown: 'Certificado desconocido',
      unknownText: 'Ningún certificado de esta página corresponde a estos datos. Compruebe el número y el nombre tal como están impresos.',
      unknownPdf: 'Este archivo no es ninguno de los certificados de esta página.',
      invalid: 'No se puede verificar',
      invalidText: 'Los datos de esta página están dañados o no están firmados por la entidad organizadora: no prueban nada.',
      askName: 'Escriba el nombre tal como está impreso en el certificado para verificarlo.',
      name: 'Nombre', workshop: 'Taller', date: 'Fecha', hours: 'Horas', organiser: 'Entidad organizadora',
      id: 'Número', reason: 'Motivo', revokedOn: 'Revocado el'
    },
    en: {
      kicker: 'Certificate verification',
      title: 'Verify a certificate',
      intro: 'Scan the QR code of a certificate, type its number and the name as printed, or choose its PDF.',
      typedTitle: 'Type it in',
      idLabel: 'Certificate number',
      nameLabel: 'Name, as printed on the certificate',
      check: 'Verify',
      pdfTitle: 'Check the PDF',
      dropHint: "Drop the certificate's PDF here, or choose it:",
      pdfPrivate: 'The file stays on this computer: only its fingerprint (SHA-256) is compared.',
      proof: 'The certificates on this page are signed by the organiser; this page checks the signature itself, with no request to any server.',
      keyLabel: "Organiser's key",
      pending: 'Checking…',
      valid: 'Valid certificate',
      validText: 'This certificate was issued by the organiser and has not been revoked.',
      revoked: 'Revoked certificate',
      revokedText: 'This certificate was issued, but the organiser has revoked it.',
      modified: 'Modified PDF',
      modifiedText: 'This file is not the certificate as it was issued: it has been changed.',
      unknown: 'Unknown certificate',
      unknownText: 'No certificate on this page matches these details. Check the number and the name as printed.',
      unknownPdf: 'This file is none of the certificates on this page.',
      invalid: 'Cannot be verified',
      invalidText: 'The data of this page is damaged or not signed by the organiser: it proves nothing.',
      askName: 'Type the name as printed on the certificate to verify it.',
      name: 'Name', workshop: 'Workshop', date: 'Date', hours: 'Hours', organiser: 'Organiser',
      id: 'Number', reason: 'Reason', revokedOn: 'Revoked on'
    }
  };
  // Catalan, Galician and Basque certificates read the Spanish page best.
  var FALLBACK = { ca: 'es', gl: 'es', eu: 'es' };
  function lang(code) {
    code = String(code || '').toLowerCase();
    if (TEXT[code]) return code;
    return FALLBACK[code] || 'en';
  }
  var pageLang = lang(document.documentElement.lang);

  var $ = function (id) { return document.getElementById(id); };
  var utf8 = new TextEncoder();
  var subtle = window.crypto && window.crypto.subtle;

  function translate(code) {
    var t = TEXT[code];
    document.documentElement.lang = code;
    Array.prototype.forEach.call(document.querySelectorAll('[data-t]'), function (el) {
      el.textContent = t[el.getAttribute('data-t')];
    });
    document.title = t.title;
  }

  function fromB64(text) {
    var bin = atob(text);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function toB64(bytes) {
    var bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin);
  }
  function toHex(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }
  function concat(a, b) {
    var out = new Uint8Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }
  function sha256(bytes) {
    return subtle.digest('SHA-256', bytes).then(function (d) { return new Uint8Array(d); });
  }
  function labelled(label, secret) { return sha256(concat(utf8.encode(label), secret)); }

  // The organiser's signature over the data: WebCrypto's Ed25519 where the
  // browser has it, else the vendored TweetNaCl (nacl.min.js).
  function verifySignature(publicKey, message, signature) {
    var fallback = function () {
      return !!(window.nacl && window.nacl.sign.detached.verify(message, signature, publicKey));
    };
    return subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify'])
      .then(function (key) {
        return subtle.verify({ name: 'Ed25519' }, key, signature, message);
      }, fallback);
  }

  function normaliseName(name) {
    return String(name).trim().split(/\s+/).join(' ').toLowerCase().normalize('NFC');
  }

  var publicKeyText = (document.querySelector('meta[name="taller-public-key"]') || {}).content || '';

  // The site's data, its signature checked; null when it is missing,
  // damaged or signed by someone else.
  var site = (function () {
    var data = window.tallerSiteData;
    if (!subtle || !data || typeof data.payload !== 'string' || typeof data.signature !== 'string') {
      return Promise.resolve(null);
    }
    var payload, signature, publicKey;
    try {
      payload = fromB64(data.payload);
      signature = fromB64(data.signature);
      publicKey = fromB64(publicKeyText);
    } catch (e) {
      return Promise.resolve(null);
    }
    return verifySignature(publicKey, payload, signature).then(function (ok) {
      if (!ok) return null;
      var parsed = JSON.parse(new TextDecoder().decode(payload));
      if (parsed.format !== 'taller-site-1' || parsed.public_key !== publicKeyText) return null;
      var index = new Map();
      parsed.entries.forEach(function (entry) { index.set(entry[0], entry); });
      return { index: index, salt: fromB64(parsed.kdf.salt), iterations: parsed.kdf.iterations };
    }).catch(function () { return null; });
  })();

  // The entry a lookup secret opens: its record, or null.
  function open(data, secret) {
    return labelled('tag\0', secret).then(function (tag) {
      var entry = data.index.get(toB64(tag.slice(0, 16)));
      if (!entry) return null;
      return labelled('key\0', secret).then(function (keyBytes) {
        return subtle.importKey('raw', keyBytes, { name: 'AES-GCM' }, false, ['decrypt']);
      }).then(function (key) {
        return subtle.decrypt({ name: 'AES-GCM', iv: fromB64(entry[1]) }, key, fromB64(entry[2]));
      }).then(function (plain) {
        return JSON.parse(new TextDecoder().decode(plain));
      }).catch(function () { return null; });
    });
  }
  function qrSecret(id, token) { return sha256(utf8.encode('taller-qr\0' + id + '\0' + token)); }
  // The name is hashed with the id first, as taller does: an entry whose
  // person was forgotten keeps only that hash.
  function typedSecret(data, id, name) {
    var upper = id.trim().toUpperCase();
    return sha256(utf8.encode('taller-name\0' + upper + '\0' + normaliseName(name))).then(function (hash) {
      return subtle.importKey('raw', utf8.encode(upper + '\0' + toHex(hash)), 'PBKDF2', false, ['deriveBits']);
    }).then(function (key) {
      return subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: data.salt, iterations: data.iterations }, key, 256);
    }).then(function (bits) { return new Uint8Array(bits); });
  }
  function pdfSecret(hex) { return sha256(utf8.encode('taller-pdf\0' + hex)); }

  var shown = null; // the record the page shows, to check a PDF against

  function formatDate(text, code) {
    return String(text).split('/').map(function (day) {
      var parts = day.split('-').map(Number);
      if (parts.length !== 3 || parts.some(isNaN)) return day;
      var date = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
      // As the certificates write it: 27 January 2016, 27 de enero de 2016.
      var locale = code === 'en' ? 'en-GB' : code;
      return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
    }).join(' – ');
  }

  function show(verdict, record, textKey) {
    var code = record ? lang(record.language) : pageLang;
    var t = TEXT[code];
    translate(code);
    var box = $('verdict');
    box.setAttribute('data-verdict', verdict);
    box.setAttribute('lang', code);
    $('verdict-title').textContent = verdict === 'none' || verdict === 'pending' ? (verdict === 'pending' ? t.pending : '') : t[verdict];
    $('verdict-text').textContent = textKey ? t[textKey] : (t[verdict + 'Text'] || '');
    var details = $('verdict-details');
    details.textContent = '';
    var add = function (label, value) {
      if (value === undefined || value === null || value === '') return;
      var dt = document.createElement('dt');
      dt.textContent = label;
      var dd = document.createElement('dd');
      dd.textContent = String(value);
      details.appendChild(dt);
      details.appendChild(dd);
    };
    if (record && verdict !== 'unknown' && verdict !== 'invalid') {
      add(t.name, record.name);
      add(t.workshop, record.title);
      add(t.date, formatDate(record.date, code));
      if (record.hours !== undefined && record.hours !== null) {
        add(t.hours, new Intl.NumberFormat(code).format(record.hours));
      }
      add(t.organiser, record.organiser);
      add(t.id, record.id);
      if (record.revoked) {
        add(t.reason, record.revoked.reason);
        add(t.revokedOn, formatDate(record.revoked.date, code));
      }
    }
  }

  function recordVerdict(record) { return record.revoked ? 'revoked' : 'valid'; }

  function withSite(work) {
    show('pending');
    return site.then(function (data) {
      if (!data) {
        shown = null;
        show('invalid');
        return;
      }
      return work(data);
    }).catch(function () { show('invalid'); });
  }

  function checkQr(id, token) {
    return withSite(function (data) {
      return qrSecret(id, token).then(function (secret) { return open(data, secret); }).then(function (record) {
        shown = record;
        if (record) show(recordVerdict(record), record);
        else show('unknown');
      });
    });
  }

  function checkTyped(id, name) {
    return withSite(function (data) {
      return typedSecret(data, id, name).then(function (secret) { return open(data, secret); }).then(function (record) {
        // A forgotten person's entry holds no name: the one typed matched.
        if (record && !record.name) record.name = name.trim();
        shown = record;
        if (record) show(recordVerdict(record), record);
        else show('unknown');
      });
    });
  }

  // The id and token a certificate's QR link carries, looked for in the
  // file as it is and in its deflated streams: which certificate a changed
  // file claims to be.
  var CLAIM = /#id=([A-Za-z0-9]{1,12}-[0-9A-Za-z]{4,12})&t=([0-9A-Za-z]{25})/;
  function latin1(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; i += 8192) {
      out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    }
    return out;
  }
  function inflate(bytes) {
    if (typeof DecompressionStream === 'undefined') return Promise.resolve(new Uint8Array(0));
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); },
      function () { return new Uint8Array(0); });
  }
  function findClaim(bytes) {
    var text = latin1(bytes);
    var found = CLAIM.exec(text);
    if (found) return Promise.resolve(found);
    var streams = [];
    var at = 0;
    while (streams.length < 400) {
      var start = text.indexOf('stream', at);
      if (start < 0) break;
      var end = text.indexOf('endstream', start + 6);
      if (end < 0) break;
      var from = start + 6;
      if (text[from] === '\r') from++;
      if (text[from] === '\n') from++;
      var to = end;
      while (to > from && (text[to - 1] === '\n' || text[to - 1] === '\r')) to--;
      if (text.slice(start - 3, start) !== 'end') streams.push(bytes.subarray(from, to));
      at = end + 9;
    }
    var next = function (i) {
      if (i >= streams.length) return Promise.resolve(null);
      return inflate(streams[i]).then(function (plain) {
        var hit = CLAIM.exec(latin1(plain));
        return hit || next(i + 1);
      });
    };
    return next(0);
  }

  function checkPdf(file) {
    return withSite(function (data) {
      return file.arrayBuffer().then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        return sha256(bytes).then(function (digest) {
          var hex = toHex(digest);
          return pdfSecret(hex).then(function (secret) { return open(data, secret); }).then(function (record) {
            if (record) {
              shown = record;
              show(recordVerdict(record), record);
              return;
            }
            return findClaim(bytes).then(function (claim) {
              if (!claim) return null;
              return qrSecret(claim[1], claim[2]).then(function (secret) { return open(data, secret); });
            }).then(function (claimed) {
              var record = claimed || shown;
              if (record && record.sha256 !== hex) show('modified', record);
              else show('unknown', null, 'unknownPdf');
            });
          });
        });
      });
    });
  }

  // Wiring.
  translate(pageLang);
  show('none');
  site.then(function () {
    if (!publicKeyText) return;
    var key;
    try { key = fromB64(publicKeyText); } catch (e) { return; }
    sha256(key).then(function (digest) {
      $('key-fingerprint').textContent = toHex(digest.slice(0, 16)).match(/.{4}/g).join(' ');
    });
  });

  $('typed').addEventListener('submit', function (event) {
    event.preventDefault();
    var id = $('cert-id').value;
    var name = $('cert-name').value;
    if (!id.trim() || !name.trim()) return;
    checkTyped(id, name);
  });
  $('pdf').addEventListener('change', function () {
    var file = $('pdf').files[0];
    if (file) checkPdf(file);
  });
  var drop = $('drop');
  ['dragenter', 'dragover'].forEach(function (name) {
    document.addEventListener(name, function (event) {
      event.preventDefault();
      drop.classList.add('over');
    });
  });
  ['dragleave', 'drop'].forEach(function (name) {
    document.addEventListener(name, function () { drop.classList.remove('over'); });
  });
  document.addEventListener('drop', function (event) {
    event.preventDefault();
    var file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) checkPdf(file);
  });

  function fromAddress() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    var id = params.get('id');
    var token = params.get('t');
    if (id && token) {
      $('cert-id').value = id;
      checkQr(id, token);
    } else if (id) {
      $('cert-id').value = id;
      show('none', null, 'askName');
      $('cert-name').focus();
    }
  }
  window.addEventListener('hashchange', fromAddress);
  fromAddress();
})();
