"""Reports for bureau staff and the public: dashboard figures, spreadsheets and printable catalogues."""
