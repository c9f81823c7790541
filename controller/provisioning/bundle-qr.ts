import QRCode from 'qrcode'
import type { ProvisioningBundle } from './enrollment.js'

/**
 * An SVG QR code of the bundle's JSON, for the installer's phone to show and the node to read.
 * Error correction M (15 %): a bundle without a CA certificate is about 250 bytes, a small code.
 */
export function renderBundleQr(bundle: ProvisioningBundle): Promise<string> {
  return QRCode.toString(JSON.stringify(bundle), {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2,
  })
}
