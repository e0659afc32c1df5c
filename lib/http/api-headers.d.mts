export declare const API_SECURITY_HEADERS: { key: string; value: string }[];
