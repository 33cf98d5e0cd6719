import { z } from 'zod';
import { parsePhoneNumberWithError, type CountryCode } from 'libphonenumber-js/max';
import { defineTool, ToolError, type ProducedEntity, type ProducedLink } from '../types.ts';

const Params = z.object({
  defaultCountry: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'a two-letter country code such as US or GB')
    .optional()
    .describe('Country assumed for numbers written without +country code'),
});

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

function parse(value: string, defaultCountry?: string) {
  try {
    return parsePhoneNumberWithError(value, defaultCountry as CountryCode | undefined);
  } catch (e) {
    throw ToolError.permanent(`"${value}" is not a phone number (${(e as Error).message})`);
  }
}

/** Offline: everything comes from libphonenumber-js metadata, so no network and nothing transient. */
export function phoneParseTool() {
  return defineTool({
    name: 'phone.parse',
    title: 'Parse phone number',
    description: 'Parses a phone number offline: E.164 form, country, line type and validity.',
    accepts: ['phone'] as const,
    params: Params,
    hosts: () => [],
    rateLimit: { perSecond: 1000, burst: 1000 },
    egress: 'offline',
    validateInput(input, p) {
      parse(input.value.trim(), p.defaultCountry);
    },
    async run(input, p) {
      const n = parse(input.value.trim(), p.defaultCountry);
      const facts = {
        e164: n.number as string,
        country: n.country ?? null,
        countryName: n.country ? (regionNames.of(n.country) ?? n.country) : null,
        countryCallingCode: n.countryCallingCode as string,
        nationalNumber: n.nationalNumber as string,
        national: n.formatNational(),
        international: n.formatInternational(),
        lineType: n.getType() ?? 'UNKNOWN',
        valid: n.isValid(),
        possible: n.isPossible(),
      };
      const entities: ProducedEntity[] = [{ ref: 'self', type: 'phone', value: facts.e164, properties: { phone: facts } }];
      // Same entity as the input unless the input was written in another form (then they are linked).
      const links: ProducedLink[] = [{ source: 'input', target: 'self', type: 'related', properties: { as: 'E.164' } }];
      if (facts.country) {
        entities.push({ ref: 'country', type: 'location', value: facts.countryName!, properties: { kind: 'country', countryCode: facts.country } });
        links.push({ source: 'self', target: 'country', type: 'located_at', properties: { basis: 'numbering plan' } });
      }
      const type = facts.lineType.toLowerCase().replace(/_/g, ' ');
      return {
        entities,
        links,
        summary: `${facts.international}: ${facts.valid ? 'valid' : 'not valid'}${facts.countryName ? `, ${facts.countryName}` : ''}, ${type}`,
        output: facts,
      };
    },
  });
}
